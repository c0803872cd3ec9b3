"""POST /api/participants/{code}/adverse-events/{event_id}/assessment."""

from __future__ import annotations

from tests.web.conftest import Personas
from tests.web.safety.api_helpers import call, events_path
from tests.web.safety.conftest import Safety


def path(safety: Safety) -> str:
    return events_path(safety.recipient_a.code, safety.event_a.pk, "/assessment")


def test_pharmacovigilance_assesses_a_susar(safety: Safety, personas: Personas) -> None:
    response = call("post", personas.pharmacovigilance_a, path(safety), {"susar": True})
    assert response.status_code == 200
    assert response.json()["susar"] is True


def test_an_investigator_is_refused(safety: Safety, personas: Personas) -> None:
    response = call("post", personas.investigator_a, path(safety), {"susar": True})
    assert response.status_code == 403
