"""GET /api/participants/{code}."""

from __future__ import annotations

import datetime

from django.test import Client

from sclerocell.web.trial import actions
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


def test_it_gives_the_end_of_participation_with_its_reason(
    trial: Trial, personas: Personas
) -> None:
    actions.end_participation(
        trial.recipient_a,
        by=personas.investigator_a,
        date=datetime.date(2015, 4, 1),
        cause="withdrawal",
        reason="Consent withdrawn in writing",
    )
    body = (
        Client()
        .get(f"/api/participants/{trial.recipient_a.code}", headers=bearer(personas.investigator_a))
        .json()
    )
    assert (body["end_date"], body["end_cause"]) == ("2015-04-01", "withdrawal")
    assert body["end_reason"] == "Consent withdrawn in writing"
