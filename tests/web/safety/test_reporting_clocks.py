"""clocks: a serious event starts its reporting clocks, with the deadlines of followup.reporting."""

from __future__ import annotations

import datetime

from sclerocell.followup.reporting import ClockKind, ClockStatus
from sclerocell.web.safety import actions, clocks
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.safety.conftest import INFUSED, at, event, serious

DAY = datetime.timedelta(days=1)


def deadlines(found: list[clocks.EventClock]) -> dict[ClockKind, datetime.datetime]:
    return {clock.kind: clock.deadline for clock in found}


def test_a_non_serious_event_has_no_clock(recipient: Participant, personas: Personas) -> None:
    assert clocks.clocks_of(event(recipient, personas.nurse_a)) == []


def test_a_serious_event_must_reach_the_sponsor_within_24_hours(
    recipient: Participant, personas: Personas
) -> None:
    aware = at(INFUSED + 20 * DAY, 10)
    sae = serious(recipient, personas.investigator_a, expectedness="expected")
    assert deadlines(clocks.clocks_of(sae)) == {
        ClockKind.SPONSOR_NOTIFICATION: aware + datetime.timedelta(hours=24)
    }


def test_a_susar_goes_to_the_authorities_within_15_days(
    recipient: Participant, personas: Personas
) -> None:
    aware = at(INFUSED + 20 * DAY, 10)
    sae = serious(recipient, personas.investigator_a)
    assert sae.suggested_susar
    found = deadlines(clocks.clocks_of(sae))
    assert found[ClockKind.SUSAR_INITIAL] == aware + 15 * DAY
    assert ClockKind.SUSAR_FOLLOW_UP not in found


def test_a_life_threatening_susar_goes_within_7_days_with_a_follow_up_8_days_later(
    recipient: Participant, personas: Personas
) -> None:
    aware = at(INFUSED + 20 * DAY, 10)
    sae = serious(recipient, personas.investigator_a, grade=4, seriousness=["life_threatening"])
    found = deadlines(clocks.clocks_of(sae))
    assert found[ClockKind.SUSAR_INITIAL] == aware + 7 * DAY
    assert found[ClockKind.SUSAR_FOLLOW_UP] == aware + 15 * DAY


def test_the_susar_clocks_start_when_the_sponsor_was_notified(
    recipient: Participant, personas: Personas
) -> None:
    sae = serious(recipient, personas.investigator_a)
    notified = at(INFUSED + 21 * DAY, 8)
    actions.record_report(
        sae, by=personas.investigator_a, kind="sponsor_notification", sent_at=notified
    )
    found = {c.kind: c for c in clocks.clocks_of(sae)}
    assert found[ClockKind.SPONSOR_NOTIFICATION].status == ClockStatus.MET
    susar = found[ClockKind.SUSAR_INITIAL]
    assert (susar.deadline, susar.state.clock.provisional) == (notified + 15 * DAY, False)


def test_the_sponsors_assessment_that_it_is_no_susar_stops_the_authority_clock(
    recipient: Participant, personas: Personas
) -> None:
    sae = serious(recipient, personas.investigator_a)
    actions.assess_serious_event(
        sae, by=personas.pharmacovigilance_a, susar=False, reason="Effet attendu selon la BI"
    )
    sae.refresh_from_db()
    assert [c.kind for c in clocks.clocks_of(sae)] == [ClockKind.SPONSOR_NOTIFICATION]


def test_a_report_after_the_deadline_is_late_and_none_is_overdue(
    recipient: Participant, personas: Personas
) -> None:
    sae = serious(recipient, personas.investigator_a, expectedness="expected")
    (clock,) = clocks.clocks_of(sae)
    assert clock.status == ClockStatus.OVERDUE
    actions.record_report(
        sae,
        by=personas.investigator_a,
        kind="sponsor_notification",
        sent_at=clock.deadline + datetime.timedelta(hours=2),
    )
    (clock,) = clocks.clocks_of(sae)
    assert clock.status == ClockStatus.LATE


def test_a_recent_event_is_pending(recipient: Participant, personas: Personas) -> None:
    now = datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0)
    sae = serious(
        recipient,
        personas.investigator_a,
        expectedness="expected",
        onset_date=now.date() - DAY,
        end_date=None,
        outcome="recovering",
        investigator_aware_at=now - datetime.timedelta(hours=1),
    )
    (clock,) = clocks.clocks_of(sae)
    assert clock.status == ClockStatus.PENDING


def test_the_board_puts_overdue_clocks_first(recipient: Participant, personas: Personas) -> None:
    now = datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0)
    recent = serious(
        recipient,
        personas.investigator_a,
        expectedness="expected",
        onset_date=now.date() - DAY,
        end_date=None,
        outcome="recovering",
        investigator_aware_at=now - datetime.timedelta(hours=1),
    )
    old = serious(recipient, personas.investigator_a, expectedness="expected")
    board = clocks.board([recent, old])
    assert [c.event.pk for c in board] == [old.pk, recent.pk]
    assert [c.status for c in board] == [ClockStatus.OVERDUE, ClockStatus.PENDING]
