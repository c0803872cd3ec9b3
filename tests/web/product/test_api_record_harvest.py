"""POST /api/participants/{code}/harvests."""

from __future__ import annotations

from django.test import Client

from sclerocell.web.product.models import Harvest
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.trial.conftest import Trial, bearer

BODY = {
    "harvested_on": "2015-04-02",
    "puncture_site": "posterior_iliac_crest",
    "volume_ml": "60",
    "local_anaesthetic": "lidocaïne 1 %",
    "operator_role": "hématologue",
}


def post(user: object, code: str, body: dict[str, object]) -> object:
    return Client().post(
        f"/api/participants/{code}/harvests",
        data=body,
        content_type="application/json",
        headers=bearer(user),  # type: ignore[arg-type]
    )


def test_the_unit_records_the_harvest_of_the_chosen_donor(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    response = post(personas.cell_therapy_a, trial.recipient_a.code, BODY)
    assert response.status_code == 201, response.json()  # type: ignore[attr-defined]
    assert response.json()["donor"] == donor.code  # type: ignore[attr-defined]
    assert Harvest.objects.get().operator_role == "hématologue"


def test_without_a_chosen_donor_it_answers_422(trial: Trial, personas: Personas) -> None:
    response = post(personas.cell_therapy_a, trial.recipient_a.code, BODY)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "donneur" in response.json()["errors"]["__all__"][0]  # type: ignore[attr-defined]


def test_a_nurse_is_refused(trial: Trial, personas: Personas) -> None:
    assert post(personas.nurse_a, trial.recipient_a.code, BODY).status_code == 403  # type: ignore[attr-defined]
