"""Each scheduled visit is due, open, done, late or missed on a date — from the infusion date."""

from __future__ import annotations

import datetime

from sclerocell.followup.schedule import visit_schedule
from sclerocell.web.followup.visits import participant_schedule
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.followup.conftest import INFUSED, FollowUp

M3 = next(v for v in visit_schedule(INFUSED) if v.code == "M3")  # target 2015-07-15, ±14 days


def statuses(participant: Participant, day: datetime.date) -> dict[str, str]:
    rows = participant_schedule(participant, participant.visits.all(), day)
    return {row.code: row.status for row in rows if row.code != "UNS"}


def test_the_windows_come_from_the_infusion_date(followup: FollowUp) -> None:
    rows = participant_schedule(followup.recipient_a, [], datetime.date(2015, 5, 1))
    m3 = next(r for r in rows if r.code == "M3")
    assert (m3.target, m3.window_start, m3.window_end) == (
        datetime.date(2015, 7, 15),
        datetime.date(2015, 7, 1),
        datetime.date(2015, 7, 29),
    )


def test_a_visit_is_due_before_its_window_and_open_inside_it(followup: FollowUp) -> None:
    assert statuses(followup.recipient_a, M3.window_start - datetime.timedelta(1))["M3"] == "due"
    assert statuses(followup.recipient_a, M3.window_start)["M3"] == "open"
    assert statuses(followup.recipient_a, M3.window_end)["M3"] == "open"


def test_a_visit_not_done_by_the_end_of_its_window_is_missed(followup: FollowUp) -> None:
    assert statuses(followup.recipient_a, M3.window_end + datetime.timedelta(1))["M3"] == "missed"


def test_a_visit_done_inside_its_window_is_done(followup: FollowUp, personas: Personas) -> None:
    followup.visit("M3", M3.window_end, by=personas.nurse_a)
    assert statuses(followup.recipient_a, datetime.date(2015, 9, 1))["M3"] == "done"


def test_a_visit_done_outside_its_window_is_late(followup: FollowUp, personas: Personas) -> None:
    followup.visit("M3", M3.window_end + datetime.timedelta(2), by=personas.nurse_a)
    assert statuses(followup.recipient_a, datetime.date(2015, 9, 1))["M3"] == "late"


def test_a_visit_recorded_after_the_as_of_date_is_not_yet_done(
    followup: FollowUp, personas: Personas
) -> None:
    followup.visit("M3", M3.target, by=personas.nurse_a)
    assert statuses(followup.recipient_a, M3.window_start)["M3"] == "open"


def test_the_baseline_is_done_once_recorded(followup: FollowUp) -> None:
    assert statuses(followup.recipient_a, datetime.date(2015, 5, 1))["BL"] == "done"


def test_visits_after_the_end_of_participation_are_not_expected(followup: FollowUp) -> None:
    recipient = followup.recipient_a
    Participant.objects.filter(pk=recipient.pk).update(
        end_date=datetime.date(2015, 8, 1), end_cause="withdrawal"
    )
    recipient.refresh_from_db()
    found = statuses(recipient, datetime.date(2016, 6, 1))
    assert found["M3"] == "missed"
    assert found["M6"] == "not_expected"
    assert found["M24"] == "not_expected"
