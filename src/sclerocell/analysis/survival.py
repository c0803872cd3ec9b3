"""Overall survival and progression-free survival at 2 years (Kaplan–Meier).

- Population and origin (a setting): the infused recipients from the infusion (default), or every
  included recipient from the inclusion.
- Time in average months (days / 30.4375), so that 24 months is 730.5 days for everyone.
- **OS** event: death. **PFS** event: progression or death, whichever comes first.
- Censoring: at the end of follow-up (end of participation, or the data cut-off for a recipient
  still followed); administratively at the horizon (24 months): an event after it is not counted.
  A recipient who *completed* the protocol's follow-up (end cause ``completed``, at the M24
  visit, whose window is ±30 days) is censored at the horizon, not at the visit date: otherwise
  every M24 visit held a few days early would empty the risk set before 24 months.
- Estimator: product-limit (lifelines ``KaplanMeierFitter``); pointwise confidence intervals by
  the log(−log) transform with Greenwood's variance (lifelines' default, "exponential
  Greenwood"): with S the estimate and V = Σ dᵢ / (nᵢ (nᵢ − dᵢ)) / (ln S)², the bounds are
  S^exp(± z √V).
- The estimate at the horizon is given only when someone was still followed at it (otherwise the
  curve stops earlier and the value would be an extrapolation).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from lifelines import KaplanMeierFitter

from sclerocell.analysis.dataset import AnalysisDataset, EndCause, Subject
from sclerocell.analysis.messages import Message
from sclerocell.analysis.settings import AnalysisSettings
from sclerocell.analysis.timeline import follow_up_end, months_between

__all__ = [
    "KaplanMeier",
    "SubjectTime",
    "SurvivalPoint",
    "SurvivalResults",
    "SurvivalRow",
    "kaplan_meier",
    "subject_times",
    "survival",
]


@dataclass(frozen=True, slots=True)
class SubjectTime:
    subject_code: str
    dose_level: int | None
    #: Months from the origin to the event or the censoring.
    time: float
    event: bool


@dataclass(frozen=True, slots=True)
class SurvivalRow:
    """One row of the survival table, at a time with events or censorings."""

    time: float
    at_risk: int
    events: int
    censored: int
    survival: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True, slots=True)
class SurvivalPoint:
    time: float
    #: None when nobody was followed up to ``time``.
    survival: float | None
    ci_low: float | None
    ci_high: float | None
    at_risk: int


@dataclass(frozen=True, slots=True)
class KaplanMeier:
    endpoint: str
    name: Message
    n: int
    events: int
    censored: int
    table: tuple[SurvivalRow, ...]
    at_horizon: SurvivalPoint
    #: Median time; None when the curve does not fall to 0.5.
    median: float | None
    confidence: float
    subjects: tuple[SubjectTime, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SurvivalResults:
    origin: str
    horizon_months: int
    overall: KaplanMeier
    progression_free: KaplanMeier


def kaplan_meier(
    times: Sequence[SubjectTime],
    *,
    endpoint: str,
    name: Message,
    horizon: float,
    confidence: float = 0.95,
) -> KaplanMeier:
    """Product-limit estimate, table and estimate at ``horizon`` (months)."""
    ordered = tuple(sorted(times, key=lambda t: (t.time, not t.event, t.subject_code)))
    n = len(ordered)
    events = sum(t.event for t in ordered)
    if n == 0:
        point = SurvivalPoint(horizon, None, None, None, 0)
        return KaplanMeier(endpoint, name, 0, 0, 0, (), point, None, confidence, (), ())
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        fitter = KaplanMeierFitter(alpha=1 - confidence)
        fitter.fit(
            np.array([t.time for t in ordered]),
            np.array([t.event for t in ordered]),
        )
    caught = tuple(dict.fromkeys(str(r.message) for r in records))
    table = fitter.event_table
    curve = fitter.survival_function_.iloc[:, 0]
    bands = fitter.confidence_interval_survival_function_
    rows = []
    for time in table.index:
        entry = table.loc[time]
        if int(entry["removed"]) == 0:
            continue
        rows.append(
            SurvivalRow(
                time=float(time),
                at_risk=int(entry["at_risk"]),
                events=int(entry["observed"]),
                censored=int(entry["censored"]),
                survival=float(curve.loc[time]),
                ci_low=float(bands.loc[time].iloc[0]),
                ci_high=float(bands.loc[time].iloc[1]),
            )
        )
    at_risk = sum(t.time >= horizon for t in ordered)
    if at_risk:
        before = [r for r in rows if r.time <= horizon]
        last = before[-1] if before else None
        point = SurvivalPoint(
            horizon,
            last.survival if last else 1.0,
            last.ci_low if last else 1.0,
            last.ci_high if last else 1.0,
            at_risk,
        )
    else:
        point = SurvivalPoint(horizon, None, None, None, 0)
    median = float(fitter.median_survival_time_)
    return KaplanMeier(
        endpoint=endpoint,
        name=name,
        n=n,
        events=events,
        censored=n - events,
        table=tuple(rows),
        at_horizon=point,
        median=median if math.isfinite(median) else None,
        confidence=confidence,
        subjects=ordered,
        warnings=caught,
    )


def _origin(subject: Subject, settings: AnalysisSettings) -> date | None:
    if settings.survival_origin == "infusion":
        return subject.infusion_date
    return subject.inclusion_date


def subject_times(
    dataset: AnalysisDataset, settings: AnalysisSettings, *, progression: bool
) -> tuple[SubjectTime, ...]:
    """Time to death (or to progression or death) of each subject of the population."""
    horizon = float(settings.horizon_months)
    result = []
    for subject in dataset.subjects:
        origin = _origin(subject, settings)
        if origin is None:
            continue
        candidates = [subject.death_date]
        if progression:
            candidates.append(subject.progression_date)
        dates = [d for d in candidates if d is not None]
        end = months_between(origin, follow_up_end(subject, dataset))
        if dates and months_between(origin, min(dates)) <= horizon:
            time, event = months_between(origin, min(dates)), True
        elif subject.end_cause is EndCause.COMPLETED:
            time, event = horizon, False
        else:
            time, event = min(end, horizon), False
        result.append(SubjectTime(subject.code, subject.dose_level, time, event))
    return tuple(result)


def survival(dataset: AnalysisDataset, settings: AnalysisSettings) -> SurvivalResults:
    horizon = float(settings.horizon_months)
    months = settings.horizon_months
    overall = kaplan_meier(
        subject_times(dataset, settings, progression=False),
        endpoint="os",
        name=Message(f"Survie globale à {months} mois", f"Overall survival at {months} months"),
        horizon=horizon,
        confidence=settings.confidence,
    )
    progression_free = kaplan_meier(
        subject_times(dataset, settings, progression=True),
        endpoint="pfs",
        name=Message(
            f"Survie sans progression à {months} mois",
            f"Progression-free survival at {months} months",
        ),
        horizon=horizon,
        confidence=settings.confidence,
    )
    return SurvivalResults(settings.survival_origin, months, overall, progression_free)
