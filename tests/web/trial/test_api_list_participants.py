"""GET /api/participants — the caller's sites only, filterable."""

from __future__ import annotations

from django.test import Client

from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial, bearer, included

URL = "/api/participants"


def codes(response: object) -> set[str]:
    return {item["code"] for item in response.json()["items"]}  # type: ignore[attr-defined]


def test_it_lists_the_participants_of_the_callers_site(trial: Trial, personas: Personas) -> None:
    response = Client().get(URL, headers=bearer(personas.monitor_a, read_only=True))
    assert response.status_code == 200
    assert codes(response) == {trial.recipient_a.code, trial.donor_a.code}


def test_it_filters_by_kind_stage_and_code(trial: Trial, personas: Personas) -> None:
    included(trial.recipient_a, personas.investigator_a)
    client, headers = Client(), bearer(personas.statistician)
    assert codes(client.get(URL, {"kind": "donor"}, headers=headers)) == {
        trial.donor_a.code,
        trial.donor_b.code,
    }
    assert codes(client.get(URL, {"stage": "enrolled"}, headers=headers)) == {
        trial.recipient_a.code
    }
    assert codes(client.get(URL, {"code": "02-r"}, headers=headers)) == {trial.recipient_b.code}


def test_it_describes_each_participant_without_identity(trial: Trial, personas: Personas) -> None:
    items = Client().get(URL, headers=bearer(personas.monitor_a)).json()["items"]
    donor = next(item for item in items if item["kind"] == "donor")
    assert donor["recipient"] == trial.recipient_a.code
    assert donor["site"] == 1
    assert set(donor) >= {"birth_year", "birth_month", "stage", "version"}


def test_it_refuses_a_caller_without_a_token(trial: Trial) -> None:
    assert Client().get(URL).status_code == 401


def test_it_refuses_a_role_without_access_to_participants(personas: Personas) -> None:
    assert Client().get(URL, headers=bearer(personas.safety_board)).status_code == 403
