"""The follow-up calendar after the infusion, visit windows, visit status and the work list.

Default schedule (CRITERIA.md, "Study frame"; a protocol setting): D10 ±3 days, M1 ±7 days,
M3, M6, M9, M12 ±14 days, M18 and M24 ±30 days. Screening, baseline and D0 (the infusion) happen
before or at the infusion and are not generated here: their timing is set by the eligibility
index date and the infusion itself.

- Day *n* is the infusion date + *n* days (the infusion day is D0).
- Month *m* is the same day *m* calendar months later, or the last day of that month when the
  day does not exist (31 January + 1 month = end of February); see
  :func:`sclerocell.criteria.windows.add_months`.
- A window is inclusive at both ends: [target − before, target + after].

Status of a visit at a date (the five words of the protocol):

============  ===================================================================
``due``       not done, window not yet open (the visit is coming: "à venir")
``open``      not done, today is inside the window
``done``      done inside the window
``late``      done outside the window, before it opened or after it closed
``missed``    not done and the window has closed
============  ===================================================================

A visit on a date that falls in no window is an unscheduled visit, which is allowed
(:func:`match_visit` returns ``None``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from sclerocell.criteria.windows import add_months
from sclerocell.followup.messages import FollowUpInputError, Message, calendar_date


@dataclass(frozen=True, slots=True)
class VisitDefinition:
    """One protocol visit: its offset from the infusion and its window (days, inclusive)."""

    code: str
    name: Message
    days: int = 0
    months: int = 0
    window_before_days: int = 0
    window_after_days: int = 0


def _default_visits() -> tuple[VisitDefinition, ...]:
    def month(m: int, window: int) -> VisitDefinition:
        return VisitDefinition(f"M{m}", Message(f"Mois {m}", f"Month {m}"), 0, m, window, window)

    return (
        VisitDefinition("D10", Message("Jour 10", "Day 10"), 10, 0, 3, 3),
        month(1, 7),
        month(3, 14),
        month(6, 14),
        month(9, 14),
        month(12, 14),
        month(18, 30),
        month(24, 30),
    )


#: Start of a 4-year reference cycle over which window separation is checked for every
#: possible infusion day (month lengths repeat every 4 years between 1901 and 2099).
_REFERENCE_START = date(2024, 1, 1)
_REFERENCE_DAYS = 4 * 365 + 1


@dataclass(frozen=True, slots=True)
class ScheduleSettings:
    """The visit calendar of one protocol version.

    Validated at construction: codes are unique, windows are not negative, every window opens
    after the infusion day, and for every possible infusion date the windows are in order and
    never overlap (so a visit date matches at most one visit).
    """

    version: str = "v1 (CRITERIA.md study frame)"
    visits: tuple[VisitDefinition, ...] = field(default_factory=_default_visits)

    def __post_init__(self) -> None:
        codes = [v.code for v in self.visits]
        if not codes or len(set(codes)) != len(codes):
            raise ValueError("ScheduleSettings.visits: at least one visit, with unique codes")
        for visit in self.visits:
            if visit.window_before_days < 0 or visit.window_after_days < 0:
                raise ValueError(f"ScheduleSettings: negative window for {visit.code}")
        for offset in range(_REFERENCE_DAYS):
            infusion = _REFERENCE_START + timedelta(days=offset)
            previous_end = infusion
            for visit in self.visits:
                start, _, end = _window(infusion, visit)
                if start <= previous_end:
                    raise ValueError(
                        f"ScheduleSettings: the window of {visit.code} opens on or before the "
                        f"end of the previous window (or the infusion) for an infusion on "
                        f"{infusion.isoformat()}"
                    )
                previous_end = end


def _window(infusion: date, visit: VisitDefinition) -> tuple[date, date, date]:
    target = add_months(infusion, visit.months) + timedelta(days=visit.days)
    return (
        target - timedelta(days=visit.window_before_days),
        target,
        target + timedelta(days=visit.window_after_days),
    )


DEFAULT_SCHEDULE = ScheduleSettings()


@dataclass(frozen=True, slots=True)
class ScheduledVisit:
    code: str
    name: Message
    infusion_date: date
    target: date
    window_start: date
    window_end: date

    def contains(self, day: date) -> bool:
        return self.window_start <= day <= self.window_end


def visit_schedule(
    infusion_date: date, settings: ScheduleSettings = DEFAULT_SCHEDULE
) -> tuple[ScheduledVisit, ...]:
    """Every post-infusion visit with its target date and window, in order."""
    infusion = calendar_date(infusion_date, "infusion_date")
    visits = []
    for definition in settings.visits:
        start, target, end = _window(infusion, definition)
        visits.append(
            ScheduledVisit(definition.code, definition.name, infusion, target, start, end)
        )
    return tuple(visits)


def scheduled_visit(
    infusion_date: date, code: str, settings: ScheduleSettings = DEFAULT_SCHEDULE
) -> ScheduledVisit:
    """One visit of the schedule by its code (``"D10"``, ``"M3"``…)."""
    for visit in visit_schedule(infusion_date, settings):
        if visit.code == code:
            return visit
    raise FollowUpInputError(
        Message(f"Visite {code!r} inconnue.", f"Unknown visit {code!r}."), field="code"
    )


def match_visit(schedule: Iterable[ScheduledVisit], day: date) -> ScheduledVisit | None:
    """The visit whose window contains ``day``, or None for an unscheduled visit."""
    checked = calendar_date(day, "day")
    for visit in schedule:
        if visit.contains(checked):
            return visit
    return None


class VisitStatus(StrEnum):
    DUE = "due"
    OPEN = "open"
    DONE = "done"
    LATE = "late"
    MISSED = "missed"


@dataclass(frozen=True, slots=True)
class VisitState:
    visit: ScheduledVisit
    status: VisitStatus
    as_of: date
    done_on: date | None
    #: Days outside the window when done: negative before it opened, positive after it closed,
    #: 0 inside it; None when not done.
    days_outside_window: int | None
    message: Message


def _d(day: date) -> str:
    return day.isoformat()


def visit_status(visit: ScheduledVisit, as_of: date, done_on: date | None = None) -> VisitState:
    """The status of ``visit`` on ``as_of``, given the date it was done (or None).

    A visit counts as done only if ``done_on`` ≤ ``as_of``; a ``done_on`` after ``as_of`` or
    before the infusion is an input error.
    """
    today = calendar_date(as_of, "as_of")
    name = visit.name
    window_fr = f"fenêtre du {_d(visit.window_start)} au {_d(visit.window_end)}"
    window_en = f"window {_d(visit.window_start)} to {_d(visit.window_end)}"
    if done_on is not None:
        done = calendar_date(done_on, "done_on")
        if done > today:
            raise FollowUpInputError(
                Message(
                    f"Visite faite le {_d(done)}, après la date d'évaluation {_d(today)}.",
                    f"Visit done on {_d(done)}, after the evaluation date {_d(today)}.",
                ),
                field="done_on",
            )
        if done < visit.infusion_date:
            raise FollowUpInputError(
                Message(
                    f"Visite faite le {_d(done)}, avant la perfusion ({_d(visit.infusion_date)}).",
                    f"Visit done on {_d(done)}, before the infusion ({_d(visit.infusion_date)}).",
                ),
                field="done_on",
            )
        if visit.contains(done):
            return VisitState(
                visit,
                VisitStatus.DONE,
                today,
                done,
                0,
                Message(
                    f"{name.fr} faite le {_d(done)} ({window_fr}).",
                    f"{name.en} done on {_d(done)} ({window_en}).",
                ),
            )
        if done < visit.window_start:
            outside = (done - visit.window_start).days
            fr = f"{-outside} j avant l'ouverture"
            en = f"{-outside} days before the window opened"
        else:
            outside = (done - visit.window_end).days
            fr = f"{outside} j après la fermeture"
            en = f"{outside} days after the window closed"
        return VisitState(
            visit,
            VisitStatus.LATE,
            today,
            done,
            outside,
            Message(
                f"{name.fr} faite hors fenêtre le {_d(done)}, {fr} ({window_fr}).",
                f"{name.en} done outside its window on {_d(done)}, {en} ({window_en}).",
            ),
        )
    if today < visit.window_start:
        status = VisitStatus.DUE
        message = Message(
            f"{name.fr} à venir : cible {_d(visit.target)} ({window_fr}).",
            f"{name.en} due: target {_d(visit.target)} ({window_en}).",
        )
    elif today <= visit.window_end:
        status = VisitStatus.OPEN
        left = (visit.window_end - today).days
        message = Message(
            f"{name.fr} ouverte : cible {_d(visit.target)}, encore {left} j ({window_fr}).",
            f"{name.en} open: target {_d(visit.target)}, {left} days left ({window_en}).",
        )
    else:
        status = VisitStatus.MISSED
        message = Message(
            f"{name.fr} manquée : fenêtre fermée le {_d(visit.window_end)}.",
            f"{name.en} missed: window closed on {_d(visit.window_end)}.",
        )
    return VisitState(visit, status, today, None, None, message)


@dataclass(frozen=True, slots=True)
class SubjectFollowUp:
    """A treated subject: infusion date and the dates of the visits done, by visit code."""

    subject_code: str
    infusion_date: date
    done: Mapping[str, date] = field(default_factory=dict)


def visit_states(
    subject: SubjectFollowUp, as_of: date, settings: ScheduleSettings = DEFAULT_SCHEDULE
) -> tuple[VisitState, ...]:
    """The status of every visit of one subject on ``as_of``."""
    schedule = visit_schedule(subject.infusion_date, settings)
    unknown = set(subject.done) - {v.code for v in schedule}
    if unknown:
        raise FollowUpInputError(
            Message(
                f"{subject.subject_code} : visites inconnues {sorted(unknown)}.",
                f"{subject.subject_code}: unknown visits {sorted(unknown)}.",
            ),
            field="done",
        )
    return tuple(visit_status(v, as_of, subject.done.get(v.code)) for v in schedule)


@dataclass(frozen=True, slots=True)
class DueVisit:
    subject_code: str
    state: VisitState

    @property
    def visit(self) -> ScheduledVisit:
        return self.state.visit


def next_visits(
    subjects: Iterable[SubjectFollowUp],
    as_of: date,
    settings: ScheduleSettings = DEFAULT_SCHEDULE,
    *,
    horizon_days: int | None = None,
) -> tuple[DueVisit, ...]:
    """The work list: for each subject, the next visit that is open or due.

    Missed and done visits are skipped; a subject whose visits are all past has no entry.
    With ``horizon_days``, a due visit is listed only if its window opens within that many days.
    Open visits come first, the window closing soonest first; then due visits by opening date.
    """
    today = calendar_date(as_of, "as_of")
    if horizon_days is not None and horizon_days < 0:
        raise FollowUpInputError(
            Message("L'horizon doit être ≥ 0 jour.", "The horizon must be ≥ 0 days."),
            field="horizon_days",
        )
    work: list[DueVisit] = []
    for subject in subjects:
        for state in visit_states(subject, today, settings):
            if state.status is VisitStatus.OPEN:
                work.append(DueVisit(subject.subject_code, state))
                break
            if state.status is VisitStatus.DUE:
                opens_in = (state.visit.window_start - today).days
                if horizon_days is None or opens_in <= horizon_days:
                    work.append(DueVisit(subject.subject_code, state))
                break

    def urgency(item: DueVisit) -> tuple[int, date, str]:
        if item.state.status is VisitStatus.OPEN:
            return (0, item.visit.window_end, item.subject_code)
        return (1, item.visit.window_start, item.subject_code)

    return tuple(sorted(work, key=urgency))
