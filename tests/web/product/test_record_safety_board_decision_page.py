"""The page where an investigator records the safety board's decision."""

from __future__ import annotations

import pytest

from sclerocell.web.trial.models import SafetyBoardDecision
from tests.web.conftest import Personas
from tests.web.product.helpers import french_url

URL = french_url("product:record_safety_board_decision")
FORM = {
    "dose_level": "1",
    "outcome": "escalate",
    "decided_on": "2016-05-02",
    "minutes_reference": "CSI-2016-05",
}


def test_an_investigator_records_it(personas: Personas) -> None:
    response = personas.client(personas.investigator_a).post(URL, FORM)
    assert response.status_code == 302
    assert SafetyBoardDecision.objects.get().outcome == "escalate"


@pytest.mark.parametrize(
    "persona", ["data_manager_a", "monitor_a", "statistician", "safety_board", "admin", "nurse_a"]
)
def test_other_roles_are_refused(personas: Personas, persona: str) -> None:
    response = personas.client(getattr(personas, persona)).post(URL, FORM)
    assert response.status_code == 403
    assert not SafetyBoardDecision.objects.exists()
