"""SAE reporting clocks: 24 h to the sponsor, 7 (+8) or 15 days for a SUSAR."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from sclerocell.followup.messages import FollowUpInputError
from sclerocell.followup.reporting import (
    ClockKind,
    ClockStatus,
    ReportingClocks,
    SeriousAdverseEvent,
    Seriousness,
    clock_status,
    reporting_clocks,
)

AWARE = datetime(2016, 5, 3, 14, 20, tzinfo=UTC)
SPONSOR_AWARE = datetime(2016, 5, 4, 9, 0, tzinfo=UTC)
HOSPITALISED = SeriousAdverseEvent(frozenset({Seriousness.HOSPITALISATION}), AWARE)


def test_a_serious_event_starts_the_24_hour_sponsor_clock() -> None:
    (clock,) = reporting_clocks(HOSPITALISED)
    assert clock.kind is ClockKind.SPONSOR_NOTIFICATION
    assert clock.deadline == AWARE + timedelta(hours=24)


def test_a_report_at_exactly_24_hours_is_on_time() -> None:
    (clock,) = reporting_clocks(HOSPITALISED)
    deadline = AWARE + timedelta(hours=24)
    state = clock_status(clock, deadline, deadline + timedelta(days=1))
    assert state.status is ClockStatus.MET
    assert state.margin == timedelta(0)


def test_a_report_one_second_after_24_hours_is_late() -> None:
    (clock,) = reporting_clocks(HOSPITALISED)
    sent = AWARE + timedelta(hours=24, seconds=1)
    state = clock_status(clock, sent, sent)
    assert state.status is ClockStatus.LATE
    assert "after the deadline" in state.message.en


def test_an_unreported_event_is_pending_until_the_deadline_then_overdue() -> None:
    (clock,) = reporting_clocks(HOSPITALISED)
    assert clock_status(clock, None, clock.deadline).status is ClockStatus.PENDING
    overdue = clock_status(clock, None, clock.deadline + timedelta(minutes=1))
    assert overdue.status is ClockStatus.OVERDUE
    assert "EN RETARD" in overdue.message.fr


def test_a_report_sent_after_the_instant_asked_about_does_not_count_yet() -> None:
    (clock,) = reporting_clocks(HOSPITALISED)
    state = clock_status(clock, AWARE + timedelta(hours=20), AWARE + timedelta(hours=2))
    assert state.status is ClockStatus.PENDING
    assert state.margin == timedelta(hours=22)


def test_a_fatal_susar_has_7_days_then_8_more_for_the_follow_up() -> None:
    event = SeriousAdverseEvent(
        frozenset({Seriousness.DEATH}), AWARE, susar=True, sponsor_aware_at=SPONSOR_AWARE
    )
    clocks = {c.kind: c for c in reporting_clocks(event)}
    assert clocks[ClockKind.SUSAR_INITIAL].deadline == SPONSOR_AWARE + timedelta(days=7)
    assert clocks[ClockKind.SUSAR_FOLLOW_UP].deadline == SPONSOR_AWARE + timedelta(days=15)
    assert not clocks[ClockKind.SUSAR_INITIAL].provisional


def test_a_life_threatening_susar_has_7_days() -> None:
    event = SeriousAdverseEvent(
        frozenset({Seriousness.LIFE_THREATENING, Seriousness.HOSPITALISATION}),
        AWARE,
        susar=True,
        sponsor_aware_at=SPONSOR_AWARE,
    )
    clocks = {c.kind: c for c in reporting_clocks(event)}
    assert clocks[ClockKind.SUSAR_INITIAL].deadline == SPONSOR_AWARE + timedelta(days=7)


def test_any_other_susar_has_15_days_and_no_follow_up_clock() -> None:
    event = SeriousAdverseEvent(
        frozenset({Seriousness.HOSPITALISATION}), AWARE, susar=True, sponsor_aware_at=SPONSOR_AWARE
    )
    clocks = {c.kind: c for c in reporting_clocks(event)}
    assert set(clocks) == {ClockKind.SPONSOR_NOTIFICATION, ClockKind.SUSAR_INITIAL}
    assert clocks[ClockKind.SUSAR_INITIAL].deadline == SPONSOR_AWARE + timedelta(days=15)


def test_a_susar_clock_starts_provisionally_at_investigator_awareness() -> None:
    event = SeriousAdverseEvent(frozenset({Seriousness.DISABILITY}), AWARE, susar=True)
    clock = next(c for c in reporting_clocks(event) if c.kind is ClockKind.SUSAR_INITIAL)
    assert clock.provisional
    assert clock.deadline == AWARE + timedelta(days=15)


def test_deadlines_are_returned_in_utc() -> None:
    paris = timezone(timedelta(hours=2))
    event = SeriousAdverseEvent(
        frozenset({Seriousness.HOSPITALISATION}), datetime(2016, 5, 3, 16, 20, tzinfo=paris)
    )
    (clock,) = reporting_clocks(event)
    assert clock.deadline == AWARE + timedelta(hours=24)
    assert clock.deadline.utcoffset() == timedelta(0)


def test_it_refuses_a_naive_datetime() -> None:
    naive = SeriousAdverseEvent(
        frozenset({Seriousness.DEATH}),
        datetime(2016, 5, 3, 14, 20),  # noqa: DTZ001 -- naive on purpose: it must be refused
    )
    with pytest.raises(FollowUpInputError) as error:
        reporting_clocks(naive)
    assert error.value.field == "investigator_aware_at"


def test_it_refuses_an_event_without_a_seriousness_criterion() -> None:
    with pytest.raises(FollowUpInputError) as error:
        reporting_clocks(SeriousAdverseEvent(frozenset(), AWARE))
    assert error.value.field == "seriousness"


def test_it_refuses_a_sponsor_aware_before_the_investigator() -> None:
    event = SeriousAdverseEvent(
        frozenset({Seriousness.DEATH}), AWARE, susar=True, sponsor_aware_at=AWARE - timedelta(1)
    )
    with pytest.raises(FollowUpInputError):
        reporting_clocks(event)


def test_delays_are_settings() -> None:
    settings = ReportingClocks(investigator_to_sponsor=timedelta(hours=12))
    (clock,) = reporting_clocks(HOSPITALISED, settings)
    assert clock.deadline == AWARE + timedelta(hours=12)
