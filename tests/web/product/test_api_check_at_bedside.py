"""POST /api/participants/{code}/bedside-checks: every attempt recorded, with its outcome."""

from __future__ import annotations

from django.test import Client

from sclerocell.web.product.label_pdf import product_code
from sclerocell.web.product.models import Batch, BedsideCheckAttempt
from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial, bearer


def post(user: object, code: str, body: dict[str, object]) -> object:
    return Client().post(
        f"/api/participants/{code}/bedside-checks",
        data=body,
        content_type="application/json",
        headers=bearer(user),  # type: ignore[arg-type]
    )


def test_a_refused_check_is_recorded_and_explained(
    released: Batch, trial: Trial, personas: Personas
) -> None:
    response = post(
        personas.nurse_a,
        released.recipient.code,
        {
            "product_code": product_code(released),
            "recipient_code": trial.recipient_b.code,
            "weight_kg": "70",
        },
    )
    assert response.status_code == 201  # type: ignore[attr-defined]
    data = response.json()  # type: ignore[attr-defined]
    assert data["accepted"] is False
    assert "recipient_mismatch" in data["refusals"]
    assert data["message_en"].startswith("INFUSION REFUSED")
    assert BedsideCheckAttempt.objects.count() == 1


def test_the_cell_therapy_unit_is_refused(released: Batch, personas: Personas) -> None:
    response = post(
        personas.cell_therapy_a,
        released.recipient.code,
        {"product_code": "x", "recipient_code": "y", "weight_kg": "70"},
    )
    assert response.status_code == 403  # type: ignore[attr-defined]
