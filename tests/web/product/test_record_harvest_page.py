"""The harvest form of the cell-therapy unit."""

from __future__ import annotations

from sclerocell.web.product.models import Harvest
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url
from tests.web.trial.conftest import Trial


def url(code: str) -> str:
    return french_url("product:record_harvest", code)


FORM = {
    "harvested_on": "2015-04-02",
    "puncture_site": "posterior_iliac_crest",
    "volume_ml": "60",
    "local_anaesthetic": "lidocaïne 1 %",
    "operator_role": "hématologue",
}


def test_it_records_the_harvest_of_the_chosen_donor(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    response = personas.client(personas.cell_therapy_a).post(url(trial.recipient_a.code), FORM)
    assert response.status_code == 302
    assert Harvest.objects.get().donor == donor


def test_without_a_chosen_donor_it_says_so(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.cell_therapy_a).post(url(trial.recipient_a.code), FORM)
    assert response.status_code == 400
    assert "Choisissez d’abord le donneur." in response.content.decode()


def test_a_nurse_cannot_record_it(trial: Trial, personas: Personas) -> None:
    assert (
        personas.client(personas.nurse_a).post(url(trial.recipient_a.code), FORM).status_code == 403
    )
