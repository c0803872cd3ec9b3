"""POST /api/participants/{code}/infusion."""

from __future__ import annotations

from django.test import Client

from sclerocell.web.product.models import Batch, Infusion
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.trial.conftest import bearer

VITALS = {"systolic_mmhg": 120, "diastolic_mmhg": 75, "heart_rate_bpm": 72, "temperature_c": "36.8"}
BODY = {
    "started_at": "2015-04-15T07:40:00Z",
    "ended_at": "2015-04-15T08:20:00Z",
    "volume_ml": "45",
    "rate_ml_per_min": "1.1",
    "weight_kg": "70",
    "vital_signs": {"before": VITALS, "during": VITALS, "after": VITALS},
    "immediate_reaction": False,
}


def post(user: object, code: str, body: dict[str, object]) -> object:
    return Client().post(
        f"/api/participants/{code}/infusion",
        data=body,
        content_type="application/json",
        headers=bearer(user),  # type: ignore[arg-type]
    )


def test_a_nurse_records_the_infusion_after_the_check(released: Batch, personas: Personas) -> None:
    recipient = Participant.objects.get(pk=released.recipient_id)
    factories.check(personas, recipient, released)
    response = post(personas.nurse_a, recipient.code, BODY)
    assert response.status_code == 201, response.json()  # type: ignore[attr-defined]
    data = response.json()  # type: ignore[attr-defined]
    assert data["cells_infused"] == 63_000_000
    assert data["dose_flagged"] is False  # exactly −10 %
    assert Infusion.objects.get().recipient == recipient


def test_without_a_check_it_answers_422(released: Batch, personas: Personas) -> None:
    response = post(personas.nurse_a, released.recipient.code, BODY)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert not Infusion.objects.exists()
