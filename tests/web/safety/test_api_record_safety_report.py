"""POST /api/participants/{code}/adverse-events/{event_id}/reports."""

from __future__ import annotations

from tests.web.conftest import Personas
from tests.web.safety.api_helpers import call, events_path
from tests.web.safety.conftest import Safety

SENT = "2015-05-05T18:00:00+02:00"


def path(safety: Safety) -> str:
    return events_path(safety.recipient_a.code, safety.event_a.pk, "/reports")


def test_it_records_the_notification_and_the_clock_is_met(
    safety: Safety, personas: Personas
) -> None:
    response = call(
        "post",
        personas.investigator_a,
        path(safety),
        {"kind": "sponsor_notification", "sent_at": SENT},
    )
    assert response.status_code == 200
    clocks = {c["kind"]: c for c in response.json()["clocks"]}
    assert clocks["sponsor_notification"]["status"] == "met"
    assert clocks["susar_initial"]["provisional"] is False


def test_an_investigator_cannot_record_a_susar_report(safety: Safety, personas: Personas) -> None:
    response = call(
        "post", personas.investigator_a, path(safety), {"kind": "susar_initial", "sent_at": SENT}
    )
    assert response.status_code == 403


def test_a_report_before_the_awareness_is_a_422(safety: Safety, personas: Personas) -> None:
    response = call(
        "post",
        personas.pharmacovigilance_a,
        path(safety),
        {"kind": "susar_initial", "sent_at": "2015-05-01T08:00:00Z"},
    )
    assert response.status_code == 422
    assert "sent_at" in response.json()["errors"]
