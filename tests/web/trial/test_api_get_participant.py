"""GET /api/participants/{code}."""

from __future__ import annotations

from django.test import Client

from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial, bearer


def test_it_returns_a_recipient_with_its_donors(trial: Trial, personas: Personas) -> None:
    response = Client().get(
        f"/api/participants/{trial.recipient_a.code}", headers=bearer(personas.investigator_a)
    )
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == trial.recipient_a.code
    assert body["donors"] == [trial.donor_a.code]
    assert body["stage"] == "screening"


def test_another_sites_participant_is_not_found(trial: Trial, personas: Personas) -> None:
    response = Client().get(
        f"/api/participants/{trial.recipient_b.code}", headers=bearer(personas.investigator_a)
    )
    assert response.status_code == 404


def test_a_malformed_code_is_not_found(trial: Trial, personas: Personas) -> None:
    response = Client().get("/api/participants/nonsense", headers=bearer(personas.investigator_a))
    assert response.status_code == 404
