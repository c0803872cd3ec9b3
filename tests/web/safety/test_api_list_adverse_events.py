"""GET /api/participants/{code}/adverse-events."""

from __future__ import annotations

from tests.web.conftest import Personas
from tests.web.safety.api_helpers import call, events_path
from tests.web.safety.conftest import Safety


def test_it_lists_the_participants_events(safety: Safety, personas: Personas) -> None:
    response = call("get", personas.monitor_a, events_path(safety.recipient_a.code))
    assert response.status_code == 200
    assert [e["id"] for e in response.json()] == [safety.event_a.pk]


def test_the_safety_board_reads_them(safety: Safety, personas: Personas) -> None:
    response = call("get", personas.safety_board, events_path(safety.recipient_b.code))
    assert [e["id"] for e in response.json()] == [safety.event_b.pk]


def test_another_sites_participant_is_not_found(safety: Safety, personas: Personas) -> None:
    response = call("get", personas.monitor_a, events_path(safety.recipient_b.code))
    assert response.status_code == 404
