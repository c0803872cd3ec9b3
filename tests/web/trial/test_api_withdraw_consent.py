"""POST /api/participants/{code}/consents/{consent_id}/withdraw."""

from __future__ import annotations

from django.test import Client

from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial, bearer


def post(user: object, code: str, consent_id: int, body: dict[str, object]) -> object:
    return Client().post(
        f"/api/participants/{code}/consents/{consent_id}/withdraw",
        body,
        content_type="application/json",
        headers=bearer(user),  # type: ignore[arg-type]
    )


def test_it_records_a_withdrawal(trial: Trial, personas: Personas) -> None:
    response = post(
        personas.investigator_a,
        trial.recipient_a.code,
        trial.consent_a.pk,
        {"date": "2015-06-01", "reason": "Withdrew at M3"},
    )
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.json()["withdrawn_date"] == "2015-06-01"  # type: ignore[attr-defined]


def test_it_requires_a_reason(trial: Trial, personas: Personas) -> None:
    response = post(
        personas.investigator_a,
        trial.recipient_a.code,
        trial.consent_a.pk,
        {"date": "2015-06-01", "reason": ""},
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "reason" in response.json()["errors"]  # type: ignore[attr-defined]


def test_another_sites_consent_is_not_found(trial: Trial, personas: Personas) -> None:
    response = post(
        personas.investigator_a,
        trial.recipient_a.code,
        trial.consent_b.pk,
        {"date": "2015-06-01", "reason": "x"},
    )
    assert response.status_code == 404  # type: ignore[attr-defined]
