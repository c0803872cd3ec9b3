"""Visit statuses of a participant and the per-site calendar, from the core schedule.

The calendar of visits is computed from the infusion date each time
(``sclerocell.followup.schedule``, a protocol setting): nothing is stored for a visit that has not
taken place, so a corrected infusion date moves every window at once. A recorded visit counts
as done on its date; its status (done or late) says whether that date fell inside its window.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

from sclerocell.config import ConfigError, parse_visit_schedule, visit_schedule_hash
from sclerocell.followup.messages import FollowUpInputError, Message
from sclerocell.followup.schedule import (
    DueVisit,
    ScheduleSettings,
    SubjectFollowUp,
    next_visits,
    visit_schedule,
    visit_states,
    visit_status,
)
from sclerocell.web.trial.models import Participant

from .definitions import BASELINE, FORMS, SCHEDULED, UNSCHEDULED, FormSpec, bilingual
from .models import Visit


class RowStatus(models.TextChoices):
    """The five statuses of the protocol, and one for a visit after the end of participation."""

    DUE = "due", _("due")
    OPEN = "open", _("open")
    DONE = "done", _("done")
    LATE = "late", _("late (outside its window)")
    MISSED = "missed", _("missed")
    NOT_EXPECTED = "not_expected", _("not expected (participation ended)")


@functools.lru_cache(maxsize=8)
def _parsed(text: str) -> ScheduleSettings:
    # Validating a schedule walks every infusion day of a 4-year cycle: parse a text once.
    try:
        return parse_visit_schedule(text, known_codes=SCHEDULED)
    except ConfigError as error:
        raise ImproperlyConfigured(str(error)) from error


def schedule_settings() -> ScheduleSettings:
    """The visit schedule in force: the setting ``SCLEROCELL_VISIT_SCHEDULE`` (a
    ``ScheduleSettings``, or a text in the format of ``sclerocell.config``), validated.

    Raises ``ImproperlyConfigured`` naming the setting when it is malformed or uses a visit
    code the visit table does not know.
    """
    value = getattr(settings, "SCLEROCELL_VISIT_SCHEDULE", None)
    if value is None:
        raise ImproperlyConfigured("SCLEROCELL_VISIT_SCHEDULE is not set")
    if isinstance(value, str):
        value = _parsed(value)
    if not isinstance(value, ScheduleSettings):
        raise ImproperlyConfigured(
            f"SCLEROCELL_VISIT_SCHEDULE={value!r}: expected a ScheduleSettings or a text"
        )
    unknown = [v.code for v in value.visits if v.code not in SCHEDULED]
    if unknown:
        raise ImproperlyConfigured(
            f"SCLEROCELL_VISIT_SCHEDULE: visit code(s) {unknown} unknown to the visit table "
            f"({', '.join(SCHEDULED)}); a new code needs a migration"
        )
    return value


def schedule_codes() -> tuple[str, ...]:
    """The post-infusion visit codes of the schedule in force, in order."""
    return tuple(v.code for v in schedule_settings().visits)


def schedule_identity() -> tuple[str, str]:
    """(version, hash) of the schedule in force, shown with the schedule."""
    schedule = schedule_settings()
    return schedule.version, visit_schedule_hash(schedule)


def expected_forms(code: str) -> list[FormSpec]:
    """The forms a visit of ``code`` expects under the schedule in force: none at a visit the
    schedule does not hold (nor at an unscheduled visit)."""
    if code != BASELINE and code not in schedule_codes():
        return []
    return [spec for spec in FORMS.values() if code in spec.expected_at]


def message(text: Message) -> Any:
    return bilingual(text.fr, text.en)


def _name(code: str) -> Any:
    number = code[1:]
    return (
        bilingual(f"Jour {number}", f"Day {number}")
        if code.startswith("D")
        else bilingual(f"Mois {number}", f"Month {number}")
    )


VISIT_NAMES: Mapping[str, Any] = {
    BASELINE: _("Baseline"),
    **{code: _name(code) for code in SCHEDULED},
    UNSCHEDULED: _("Unscheduled visit"),
}


@dataclass(frozen=True)
class ScheduleRow:
    code: str
    target: datetime.date | None
    window_start: datetime.date | None
    window_end: datetime.date | None
    visit: Visit | None
    status: str
    explanation: Any

    @property
    def name(self) -> Any:
        return VISIT_NAMES.get(self.code, self.code)


def _done_on(visit: Visit | None, as_of: datetime.date) -> datetime.date | None:
    return visit.visit_date if visit is not None and visit.visit_date <= as_of else None


def participant_schedule(
    participant: Participant, visits: Iterable[Visit], as_of: datetime.date
) -> list[ScheduleRow]:
    """Baseline, every scheduled visit with its window and status, then unscheduled visits."""
    recorded = list(visits)
    by_code = {v.code: v for v in recorded if v.code != UNSCHEDULED}
    baseline = by_code.get(BASELINE)
    rows = [
        ScheduleRow(
            BASELINE,
            None,
            None,
            participant.infusion_date,
            baseline,
            RowStatus.DONE
            if baseline
            else (RowStatus.MISSED if participant.infusion_date else RowStatus.DUE),
            _("Before the infusion."),
        )
    ]
    if participant.infusion_date is not None:
        for scheduled in visit_schedule(participant.infusion_date, schedule_settings()):
            visit = by_code.get(scheduled.code)
            try:
                state = visit_status(scheduled, as_of, _done_on(visit, as_of))
                status, explanation = state.status.value, message(state.message)
            except FollowUpInputError as error:
                status, explanation = RowStatus.LATE, message(error.message)
            ended = participant.end_date
            if status in (RowStatus.DUE, RowStatus.OPEN, RowStatus.MISSED) and ended is not None:
                if scheduled.window_start > ended:
                    status = RowStatus.NOT_EXPECTED
                    explanation = _("The participation ended before this visit.")
            rows.append(
                ScheduleRow(
                    scheduled.code,
                    scheduled.target,
                    scheduled.window_start,
                    scheduled.window_end,
                    visit,
                    status,
                    explanation,
                )
            )
    rows += [
        ScheduleRow(UNSCHEDULED, None, None, None, v, RowStatus.DONE, _("Unscheduled visit."))
        for v in recorded
        if v.code == UNSCHEDULED
    ]
    return rows


@dataclass(frozen=True)
class CalendarEntry:
    participant: Participant
    due: DueVisit
    missed: int

    @property
    def name(self) -> Any:
        return VISIT_NAMES.get(self.due.visit.code, self.due.visit.code)

    @property
    def explanation(self) -> Any:
        return message(self.due.state.message)


def calendar(
    participants: Iterable[Participant],
    visits: Iterable[Visit],
    as_of: datetime.date,
    horizon_days: int | None,
) -> list[CalendarEntry]:
    """What is due next at the user's sites: each participant in follow-up on ``as_of`` with its
    next open or due visit (open first, closing soonest), and how many visits it has missed."""
    done: dict[int, dict[str, datetime.date]] = {}
    for visit in visits:
        if visit.code not in (BASELINE, UNSCHEDULED) and visit.visit_date <= as_of:
            done.setdefault(visit.participant_id, {})[visit.code] = visit.visit_date
    in_follow_up = {
        p.code: p
        for p in participants
        if p.infusion_date is not None
        and p.infusion_date <= as_of
        and (p.end_date is None or p.end_date > as_of)
    }
    subjects = [
        SubjectFollowUp(
            p.code,
            p.infusion_date,
            {code: day for code, day in done.get(p.pk, {}).items() if day >= p.infusion_date},
        )
        for p in in_follow_up.values()
        if p.infusion_date is not None
    ]
    settings = schedule_settings()
    missed = {
        s.subject_code: sum(
            1 for state in visit_states(s, as_of, settings) if state.status.value == "missed"
        )
        for s in subjects
    }
    return [
        CalendarEntry(in_follow_up[item.subject_code], item, missed[item.subject_code])
        for item in next_visits(subjects, as_of, settings, horizon_days=horizon_days)
    ]
