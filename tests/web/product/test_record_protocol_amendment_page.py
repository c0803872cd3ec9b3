"""The page where an investigator records a protocol amendment."""

from __future__ import annotations

import pytest

from sclerocell.web.trial.models import ProtocolAmendment
from tests.web.conftest import Personas
from tests.web.product.helpers import french_url

URL = french_url("product:record_protocol_amendment")
FORM = {
    "version": "v2.0",
    "reference": "ANSM 2016-A0001",
    "approved_on": "2016-01-15",
    "effective_from": "2016-02-01",
    "recipients_max": "24",
}


def test_an_investigator_records_it(personas: Personas) -> None:
    response = personas.client(personas.investigator_a).post(URL, FORM)
    assert response.status_code == 302
    assert ProtocolAmendment.objects.get().recipients_max == 24


def test_an_invalid_amendment_is_shown_at_its_field(personas: Personas) -> None:
    response = personas.client(personas.investigator_a).post(
        URL, {**FORM, "effective_from": "2016-01-01"}
    )
    assert response.status_code == 400
    assert "effective_from" in response.context["form"].errors


@pytest.mark.parametrize("persona", ["data_manager_a", "monitor_a", "statistician", "admin"])
def test_other_roles_are_refused(personas: Personas, persona: str) -> None:
    assert personas.client(getattr(personas, persona)).post(URL, FORM).status_code == 403
    assert not ProtocolAmendment.objects.exists()
