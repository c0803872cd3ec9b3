"""POST /api/participants/{code}/adverse-events."""

from __future__ import annotations

from sclerocell.web.safety.models import AdverseEvent
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.safety.api_helpers import call, events_path
from tests.web.safety.conftest import NAUSEA

BODY = {
    "meddra_code": "10051792",
    "grade": 2,
    "onset_date": "2015-04-15",
    "end_date": "2015-04-15",
    "outcome": "recovered",
    "relation_to_msc": "probable",
    "expectedness": "expected",
    "action_taken": "slowed",
}


def test_it_records_an_event_with_its_period_and_version(
    recipient: Participant, personas: Personas
) -> None:
    response = call("post", personas.nurse_a, events_path(recipient.code), BODY)
    assert response.status_code == 201
    body = response.json()
    assert (body["term"], body["grade"], body["ctcae_version"]) == (
        "Infusion related reaction",
        2,
        "5.0",
    )
    assert body["classification"] == {
        "period": "immediate",
        "day": 0,
        "severe": False,
        "malignancy": False,
    }


def test_a_grade_the_term_does_not_have_is_a_422_at_the_grade(
    recipient: Participant, personas: Personas
) -> None:
    response = call(
        "post",
        personas.nurse_a,
        events_path(recipient.code),
        {**BODY, "meddra_code": NAUSEA, "grade": 4},
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["grade"]
    assert not AdverseEvent.objects.exists()


def test_a_serious_event_starts_its_clock(recipient: Participant, personas: Personas) -> None:
    body = {
        **BODY,
        "grade": 3,
        "seriousness": ["hospitalisation"],
        "investigator_aware_at": "2015-04-15T14:00:00+02:00",
    }
    response = call("post", personas.investigator_a, events_path(recipient.code), body)
    assert response.status_code == 201
    (clock,) = response.json()["clocks"]
    assert (clock["kind"], clock["deadline"]) == ("sponsor_notification", "2015-04-16T12:00:00Z")


def test_a_time_without_its_zone_is_refused(recipient: Participant, personas: Personas) -> None:
    body = {
        **BODY,
        "grade": 3,
        "seriousness": ["hospitalisation"],
        "investigator_aware_at": "2015-04-15T14:00:00",
    }
    response = call("post", personas.investigator_a, events_path(recipient.code), body)
    assert response.status_code == 422
    assert "investigator_aware_at" in response.json()["errors"]


def test_another_sites_participant_is_not_found(recipient: Participant, personas: Personas) -> None:
    response = call("post", personas.investigator_b, events_path(recipient.code), BODY)
    assert response.status_code == 404


def test_the_safety_board_is_refused(recipient: Participant, personas: Personas) -> None:
    response = call("post", personas.safety_board, events_path(recipient.code), BODY)
    assert response.status_code == 403
    assert not AdverseEvent.objects.exists()
