"""Time on the trial's clock: visit target dates, months between dates, follow-up ends.

- Visits and AE periods use **calendar months** from the infusion, exactly as the visit
  schedule does (:mod:`sclerocell.followup.schedule`): M24 of an infusion on 31 January is the
  31 January two years later, or the last day of the month.
- Survival times are **average months**: days / 30.4375 (= 365.25 / 12), so that 24 months is
  the same length for every patient (730.5 days).
"""

from __future__ import annotations

from datetime import date, timedelta

from sclerocell.analysis.dataset import BASELINE, AnalysisDataset, Subject
from sclerocell.criteria.windows import add_months
from sclerocell.followup.schedule import ScheduleSettings, VisitDefinition

__all__ = [
    "DAYS_PER_MONTH",
    "add_months",
    "follow_up_end",
    "months_between",
    "visit_definition",
    "visit_month",
    "visit_target",
]

DAYS_PER_MONTH = 365.25 / 12


def months_between(start: date, end: date) -> float:
    return (end - start).days / DAYS_PER_MONTH


def visit_definition(code: str, schedule: ScheduleSettings) -> VisitDefinition:
    for definition in schedule.visits:
        if definition.code == code:
            return definition
    raise KeyError(code)


def visit_month(code: str, schedule: ScheduleSettings) -> float:
    """The nominal time of a visit in months after the infusion (baseline 0)."""
    if code == BASELINE:
        return 0.0
    definition = visit_definition(code, schedule)
    return definition.months + definition.days / DAYS_PER_MONTH


def visit_target(infusion: date, code: str, schedule: ScheduleSettings) -> date:
    """The target date of a post-infusion visit (same arithmetic as the schedule)."""

    definition = visit_definition(code, schedule)
    return add_months(infusion, definition.months) + timedelta(days=definition.days)


def follow_up_end(subject: Subject, dataset: AnalysisDataset) -> date:
    """The last day the subject was followed: the end of participation, else the cut-off."""
    return subject.end_date if subject.end_date is not None else dataset.cutoff_date
