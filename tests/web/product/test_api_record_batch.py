"""POST /api/participants/{code}/batches."""

from __future__ import annotations

from django.test import Client

from sclerocell.web.product.models import Batch
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.trial.conftest import Trial, bearer

BODY = {
    "number": "L2015-API",
    "manufactured_on": "2015-04-14",
    "passages": 2,
    "cell_count": 70000000,
    "volume_ml": "50.0",
    "expires_at": "2015-04-15T18:00:00Z",
    "viability_pct": "92",
    "sterility": "no_growth",
}


def post(user: object, code: str, body: dict[str, object]) -> object:
    return Client().post(
        f"/api/participants/{code}/batches",
        data=body,
        content_type="application/json",
        headers=bearer(user),  # type: ignore[arg-type]
    )


def test_it_records_a_batch_from_the_latest_harvest(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    harvest = factories.harvest(personas, donor)
    response = post(personas.cell_therapy_a, trial.recipient_a.code, BODY)
    assert response.status_code == 201, response.json()  # type: ignore[attr-defined]
    assert response.json()["harvest"] == harvest.pk  # type: ignore[attr-defined]
    assert Batch.objects.get().viability_pct == 92


def test_bad_input_is_keyed_by_field(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    factories.harvest(personas, donor)
    response = post(personas.cell_therapy_a, trial.recipient_a.code, {**BODY, "cd90_pct": "140"})
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "cd90_pct" in response.json()["errors"]  # type: ignore[attr-defined]


def test_without_a_harvest_it_answers_422(trial: Trial, personas: Personas) -> None:
    response = post(personas.cell_therapy_a, trial.recipient_a.code, BODY)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "harvest" in response.json()["errors"]  # type: ignore[attr-defined]
