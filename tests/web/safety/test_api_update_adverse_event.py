"""PATCH /api/participants/{code}/adverse-events/{event_id}."""

from __future__ import annotations

from tests.web.conftest import Personas
from tests.web.safety.api_helpers import call, events_path
from tests.web.safety.conftest import Safety


def test_it_corrects_only_the_fields_sent(safety: Safety, personas: Personas) -> None:
    path = events_path(safety.recipient_a.code, safety.event_a.pk)
    response = call("patch", personas.investigator_a, path, {"reason": "Grade revu", "grade": 4})
    assert response.status_code == 200
    assert (response.json()["grade"], response.json()["version"]) == (4, 2)
    assert response.json()["term"] == "Lung infection"


def test_a_correction_without_reason_is_a_422(safety: Safety, personas: Personas) -> None:
    path = events_path(safety.recipient_a.code, safety.event_a.pk)
    response = call("patch", personas.investigator_a, path, {"reason": "", "grade": 4})
    assert response.status_code == 422
    assert "reason" in response.json()["errors"]


def test_a_monitor_is_refused(safety: Safety, personas: Personas) -> None:
    path = events_path(safety.recipient_a.code, safety.event_a.pk)
    assert call("patch", personas.monitor_a, path, {"reason": "x", "grade": 4}).status_code == 403
