"""GET /api/participants/{code}/consents."""

from __future__ import annotations

from django.test import Client

from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial, bearer


def test_it_lists_the_consents_of_a_participant(trial: Trial, personas: Personas) -> None:
    response = Client().get(
        f"/api/participants/{trial.recipient_a.code}/consents", headers=bearer(personas.monitor_a)
    )
    assert response.status_code == 200
    assert [c["form_version"] for c in response.json()] == [trial.consent_a.form_version]


def test_another_sites_consents_are_not_found(trial: Trial, personas: Personas) -> None:
    response = Client().get(
        f"/api/participants/{trial.recipient_b.code}/consents", headers=bearer(personas.monitor_a)
    )
    assert response.status_code == 404
