"""POST /api/participants/{code}/donors."""

from __future__ import annotations

from django.test import Client

from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial, bearer

BODY = {
    "relationship": "spouse",
    "birth_year": 1965,
    "birth_month": 1,
    "sex": "M",
    "screening_date": "2015-03-09",
    "selection_note": "No sibling or parent available",
}


def post(user: object, code: str, body: dict[str, object]) -> object:
    return Client().post(
        f"/api/participants/{code}/donors",
        body,
        content_type="application/json",
        headers=bearer(user),  # type: ignore[arg-type]
    )


def test_it_registers_a_spouse_as_donor(trial: Trial, personas: Personas) -> None:
    response = post(personas.investigator_a, trial.recipient_a.code, BODY)
    assert response.status_code == 201  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert (body["kind"], body["recipient"], body["relationship"]) == (
        "donor",
        trial.recipient_a.code,
        "spouse",
    )


def test_it_refuses_a_phone_number_in_the_note(trial: Trial, personas: Personas) -> None:
    response = post(
        personas.investigator_a,
        trial.recipient_a.code,
        {**BODY, "selection_note": "tél. 01 42 49 49 49"},
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "selection_note" in response.json()["errors"]  # type: ignore[attr-defined]


def test_another_sites_recipient_is_not_found(trial: Trial, personas: Personas) -> None:
    response = post(personas.investigator_a, trial.recipient_b.code, BODY)
    assert response.status_code == 404  # type: ignore[attr-defined]
    assert trial.recipient_b.donors.count() == 1


def test_a_monitor_is_refused(trial: Trial, personas: Personas) -> None:
    assert post(personas.monitor_a, trial.recipient_a.code, BODY).status_code == 403  # type: ignore[attr-defined]
