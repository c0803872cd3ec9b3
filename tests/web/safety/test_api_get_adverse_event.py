"""GET /api/participants/{code}/adverse-events/{event_id}."""

from __future__ import annotations

from tests.web.conftest import Personas
from tests.web.safety.api_helpers import call, events_path
from tests.web.safety.conftest import Safety


def test_it_answers_the_event_with_its_clocks(safety: Safety, personas: Personas) -> None:
    path = events_path(safety.recipient_a.code, safety.event_a.pk)
    body = call("get", personas.investigator_a, path).json()
    assert body["seriousness"] == ["hospitalisation"]
    assert [c["kind"] for c in body["clocks"]] == ["sponsor_notification", "susar_initial"]
    assert {c["status"] for c in body["clocks"]} == {"overdue"}


def test_an_event_of_another_participant_is_not_found(safety: Safety, personas: Personas) -> None:
    path = events_path(safety.recipient_a.code, safety.event_b.pk)
    assert call("get", personas.investigator_a, path).status_code == 404
