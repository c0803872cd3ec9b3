"""Follow-up calendar: targets, windows, the five visit statuses, the work list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerocell.followup.messages import FollowUpInputError, Message
from sclerocell.followup.schedule import (
    ScheduleSettings,
    SubjectFollowUp,
    VisitDefinition,
    VisitStatus,
    match_visit,
    next_visits,
    scheduled_visit,
    visit_schedule,
    visit_states,
    visit_status,
)

INFUSION = date(2015, 1, 31)
DAY = timedelta(days=1)


def test_it_generates_the_default_visits_in_order() -> None:
    schedule = visit_schedule(date(2015, 3, 10))
    assert [(v.code, v.target.isoformat()) for v in schedule] == [
        ("D10", "2015-03-20"),
        ("M1", "2015-04-10"),
        ("M3", "2015-06-10"),
        ("M6", "2015-09-10"),
        ("M9", "2015-12-10"),
        ("M12", "2016-03-10"),
        ("M18", "2016-09-10"),
        ("M24", "2017-03-10"),
    ]


@pytest.mark.parametrize(
    ("code", "before", "after"),
    [
        ("D10", 3, 3),
        ("M1", 7, 7),
        ("M3", 14, 14),
        ("M12", 14, 14),
        ("M18", 30, 30),
        ("M24", 30, 30),
    ],
)
def test_each_window_has_its_protocol_width(code: str, before: int, after: int) -> None:
    visit = scheduled_visit(INFUSION, code)
    assert (visit.target - visit.window_start).days == before
    assert (visit.window_end - visit.target).days == after


def test_a_month_is_a_calendar_month_clamped_to_the_end_of_a_short_month() -> None:
    assert scheduled_visit(date(2015, 1, 31), "M1").target == date(2015, 2, 28)
    assert scheduled_visit(date(2016, 1, 31), "M1").target == date(2016, 2, 29)
    assert scheduled_visit(date(2015, 11, 30), "M3").target == date(2016, 2, 29)
    assert scheduled_visit(date(2015, 12, 15), "M1").target == date(2016, 1, 15)


def test_it_refuses_an_unknown_visit_code() -> None:
    with pytest.raises(FollowUpInputError):
        scheduled_visit(INFUSION, "M2")


def test_a_visit_done_on_the_first_day_of_its_window_is_done() -> None:
    visit = scheduled_visit(INFUSION, "M3")
    state = visit_status(visit, visit.window_end + DAY, visit.window_start)
    assert state.status is VisitStatus.DONE
    assert state.days_outside_window == 0


def test_a_visit_done_on_the_last_day_of_its_window_is_done() -> None:
    visit = scheduled_visit(INFUSION, "D10")
    assert visit_status(visit, visit.window_end, visit.window_end).status is VisitStatus.DONE


def test_a_visit_done_one_day_after_its_window_is_late() -> None:
    visit = scheduled_visit(INFUSION, "M6")
    state = visit_status(visit, visit.window_end + 5 * DAY, visit.window_end + DAY)
    assert state.status is VisitStatus.LATE
    assert state.days_outside_window == 1
    assert "1 days after the window closed" in state.message.en


def test_a_visit_done_one_day_before_its_window_is_late_too() -> None:
    visit = scheduled_visit(INFUSION, "M1")
    state = visit_status(visit, visit.window_end, visit.window_start - DAY)
    assert state.status is VisitStatus.LATE
    assert state.days_outside_window == -1
    assert "1 j avant l'ouverture" in state.message.fr


def test_a_visit_whose_window_is_not_open_yet_is_due() -> None:
    visit = scheduled_visit(INFUSION, "M12")
    assert visit_status(visit, visit.window_start - DAY).status is VisitStatus.DUE


def test_a_visit_is_open_from_the_first_to_the_last_day_of_its_window() -> None:
    visit = scheduled_visit(INFUSION, "M12")
    assert visit_status(visit, visit.window_start).status is VisitStatus.OPEN
    assert visit_status(visit, visit.window_end).status is VisitStatus.OPEN


def test_a_visit_not_done_when_its_window_has_closed_is_missed() -> None:
    visit = scheduled_visit(INFUSION, "M18")
    state = visit_status(visit, visit.window_end + DAY)
    assert state.status is VisitStatus.MISSED
    assert "manquée" in state.message.fr


def test_it_refuses_a_visit_done_after_the_evaluation_date_or_before_the_infusion() -> None:
    visit = scheduled_visit(INFUSION, "M3")
    with pytest.raises(FollowUpInputError) as error:
        visit_status(visit, visit.target, visit.target + DAY)
    assert error.value.field == "done_on"
    with pytest.raises(FollowUpInputError):
        visit_status(visit, visit.target, INFUSION - DAY)


def test_a_date_outside_every_window_is_an_unscheduled_visit() -> None:
    schedule = visit_schedule(INFUSION)
    assert match_visit(schedule, INFUSION + 20 * DAY) is None
    matched = match_visit(schedule, INFUSION + 10 * DAY)
    assert matched is not None and matched.code == "D10"


@given(st.dates(min_value=date(2014, 1, 1), max_value=date(2030, 12, 31)))
def test_windows_are_ordered_and_never_overlap(infusion: date) -> None:
    schedule = visit_schedule(infusion)
    previous_end = infusion
    for visit in schedule:
        assert previous_end < visit.window_start <= visit.target <= visit.window_end
        previous_end = visit.window_end


def test_settings_refuse_overlapping_windows() -> None:
    with pytest.raises(ValueError, match="opens on or before"):
        ScheduleSettings(
            visits=(
                VisitDefinition("M1", Message("Mois 1", "Month 1"), months=1, window_after_days=20),
                VisitDefinition(
                    "M2", Message("Mois 2", "Month 2"), months=2, window_before_days=20
                ),
            )
        )


def test_the_work_list_gives_each_subject_their_next_open_or_due_visit() -> None:
    as_of = date(2016, 6, 1)
    subjects = [
        # M1 done; M3 window 2016-05-27 to 2016-06-24: open
        SubjectFollowUp(
            "01-R002-7", date(2016, 3, 10), {"D10": date(2016, 3, 20), "M1": date(2016, 4, 11)}
        ),
        # M1 window 2016-05-03 to 2016-05-17 missed, skipped; M3 opens 2016-06-26: due
        SubjectFollowUp("01-R001-9", date(2016, 4, 10), {"D10": date(2016, 4, 20)}),
        # D10 missed; M1 opens 2016-06-03: due, sooner than the previous one
        SubjectFollowUp("01-R003-5", date(2016, 5, 10)),
        # every window has closed: nothing left to do
        SubjectFollowUp("01-R000-1", date(2013, 1, 10)),
    ]
    work = next_visits(subjects, as_of)
    assert [(w.subject_code, w.visit.code, w.state.status) for w in work] == [
        ("01-R002-7", "M3", VisitStatus.OPEN),
        ("01-R003-5", "M1", VisitStatus.DUE),
        ("01-R001-9", "M3", VisitStatus.DUE),
    ]


def test_the_work_list_can_look_only_a_few_days_ahead() -> None:
    subjects = [SubjectFollowUp("01-R003-5", date(2016, 5, 10))]  # M1 window opens 2016-06-03
    assert next_visits(subjects, date(2016, 6, 1), horizon_days=1) == ()
    assert len(next_visits(subjects, date(2016, 6, 1), horizon_days=2)) == 1


def test_it_refuses_a_done_date_for_an_unknown_visit() -> None:
    with pytest.raises(FollowUpInputError) as error:
        visit_states(SubjectFollowUp("01-R001-9", INFUSION, {"M2": INFUSION}), INFUSION)
    assert error.value.field == "done"
