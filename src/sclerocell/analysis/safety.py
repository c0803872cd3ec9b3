"""Tolerance: the primary endpoint, immediate and late tolerance, AE tables, malignancies.

Population: the **safety population**, every recipient who received the infusion, by the dose
level received. Each AE is placed on the infusion clock by
:func:`sclerocell.followup.tolerance.classify_event` (before the infusion · immediate D0–D10 ·
early to 3 calendar months · late beyond), and counts for the analysis when its onset is from
D0 to the horizon (24 calendar months after the infusion, inclusive).

- **Primary**: recipients with at least one CTCAE grade ≥ 3 AE (any attribution: "every grade ≥ 3
  toxicity") from D0 to M24, over the infused recipients, overall and by dose level, with exact
  Clopper–Pearson intervals. The same count restricted to AEs related to the MSC (possible,
  probable or certain by default) is reported beside it.
- **Immediate tolerance**: recipients with a grade ≥ 3 AE from D0 to D10 (the infusion counts
  as not tolerated).
- **Late tolerance**: AEs with onset beyond 3 months, over the recipients still followed beyond
  3 months; every AE flagged as a malignancy (investigator's flag or the MedDRA Neoplasms SOC) is
  listed, whatever its date, with its period.
- **AE tables**: by system organ class and term, patients (each counted once per row) and
  events, worst grade per patient, relation to the MSC and to the marrow procedure, serious AEs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from sclerocell.analysis.dataset import (
    AdverseEvent,
    AnalysisDataset,
    EndCause,
    Relatedness,
    Subject,
)
from sclerocell.analysis.messages import Message
from sclerocell.analysis.settings import AnalysisSettings
from sclerocell.analysis.timeline import add_months, follow_up_end
from sclerocell.followup.tolerance import OnsetPeriod, classify_event, is_neoplasm_soc
from sclerocell.product.feasibility import Proportion, proportion

__all__ = [
    "AeListing",
    "AeTableRow",
    "AeTables",
    "Counts",
    "EventCounts",
    "LateTolerance",
    "ToleranceEndpoint",
    "ToleranceResults",
    "ae_tables",
    "late_tolerance",
    "tolerance",
]


@dataclass(frozen=True, slots=True)
class Counts:
    """A count overall and by dose level (every level of the population, zeros included)."""

    overall: int
    by_level: Mapping[int, int]


@dataclass(frozen=True, slots=True)
class EventCounts:
    patients: Counts
    events: Counts


@dataclass(frozen=True, slots=True)
class AeTableRow:
    """One row of the AE table: a system organ class (``term`` None) or a term within it."""

    soc: str
    term: str | None
    patients: Counts
    events: Counts
    #: Grade 1–5 → patients whose worst grade in this row is that grade (all levels).
    patients_by_worst_grade: Mapping[int, int]


@dataclass(frozen=True, slots=True)
class AeTables:
    #: The denominators: recipients in the population.
    population: Counts
    any_event: EventCounts
    #: Each SOC row followed by its term rows; most frequent first (patients, events, name).
    rows: tuple[AeTableRow, ...]
    #: Worst grade per patient over all AEs: 0 (no AE), 1 … 5 → patients.
    worst_grade: Mapping[int, Counts]
    grade_3_or_more: EventCounts
    serious: EventCounts
    relation_msc: Mapping[Relatedness, EventCounts]
    relation_procedure: Mapping[Relatedness, EventCounts]
    related_msc: EventCounts
    related_procedure: EventCounts


@dataclass(frozen=True, slots=True)
class AeListing:
    """One AE in a listing (severe AEs, malignancies)."""

    subject_code: str
    dose_level: int | None
    term: str
    soc: str
    grade: int
    onset_date: date
    #: Days from the infusion (D0); None for a recipient never infused.
    day: int | None
    period: OnsetPeriod | None
    serious: bool
    relation_msc: Relatedness
    relation_procedure: Relatedness
    malignancy: bool


@dataclass(frozen=True, slots=True)
class ToleranceEndpoint:
    """Recipients with the event, as a proportion with its exact interval."""

    name: Message
    overall: Proportion
    by_level: Mapping[int, Proportion]
    subjects: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ToleranceResults:
    safety_population: Counts
    #: Infused recipients followed to the horizon, or who died before it.
    full_follow_up: int
    primary: ToleranceEndpoint
    primary_related: ToleranceEndpoint
    immediate: ToleranceEndpoint
    #: Every grade ≥ 3 AE from D0 to the horizon.
    severe_events: tuple[AeListing, ...]
    #: AEs of the tables: onset from D0 to the horizon.
    tables: AeTables
    events_before_infusion: int
    events_after_horizon: int


@dataclass(frozen=True, slots=True)
class LateTolerance:
    #: Infused recipients followed beyond the early period (3 months): the denominator.
    at_risk: Counts
    any_late: ToleranceEndpoint
    severe_late: ToleranceEndpoint
    tables: AeTables
    #: Every AE flagged as a malignancy, whatever its date.
    malignancies: tuple[AeListing, ...]
    #: Recipients with a malignancy-flagged AE on or after the infusion, over the infused.
    malignancy_after_infusion: ToleranceEndpoint


@dataclass(frozen=True, slots=True)
class _Classified:
    event: AdverseEvent
    subject: Subject
    day: int | None
    period: OnsetPeriod | None
    severe: bool
    malignancy: bool
    in_horizon: bool


def _classify(dataset: AnalysisDataset, settings: AnalysisSettings) -> list[_Classified]:
    subjects = {s.code: s for s in dataset.subjects}
    result = []
    for event in dataset.adverse_events:
        subject = subjects[event.subject_code]
        if subject.infusion_date is None:
            severe = event.grade >= settings.tolerance.severe_grade
            malignancy = event.malignancy or is_neoplasm_soc(event.soc)
            result.append(_Classified(event, subject, None, None, severe, malignancy, False))
            continue
        c = classify_event(
            subject.infusion_date,
            event.onset_date,
            event.grade,
            soc=event.soc,
            malignancy=event.malignancy,
            settings=settings.tolerance,
        )
        horizon = add_months(subject.infusion_date, settings.horizon_months)
        in_horizon = c.period is not OnsetPeriod.BEFORE_INFUSION and event.onset_date <= horizon
        result.append(
            _Classified(event, subject, c.day, c.period, c.severe, c.malignancy, in_horizon)
        )
    return result


def _listing(item: _Classified) -> AeListing:
    e = item.event
    return AeListing(
        subject_code=e.subject_code,
        dose_level=item.subject.dose_level,
        term=e.term,
        soc=e.soc,
        grade=e.grade,
        onset_date=e.onset_date,
        day=item.day,
        period=item.period,
        serious=e.serious,
        relation_msc=e.relation_msc,
        relation_procedure=e.relation_procedure,
        malignancy=item.malignancy,
    )


def _levels(population: Sequence[Subject]) -> tuple[int, ...]:
    return tuple(sorted({s.dose_level for s in population if s.dose_level is not None}))


def _counts(codes: Iterable[str], population: Sequence[Subject], *, distinct: bool) -> Counts:
    """Count ``codes`` (one per event, or distinct patients) overall and by dose level."""
    level_of = {s.code: s.dose_level for s in population}
    items = list(dict.fromkeys(codes)) if distinct else list(codes)
    by_level = Counter(level_of[c] for c in items)
    return Counts(
        len(items), MappingProxyType({lv: by_level.get(lv, 0) for lv in _levels(population)})
    )


def _event_counts(events: Sequence[AdverseEvent], population: Sequence[Subject]) -> EventCounts:
    codes = [e.subject_code for e in events]
    return EventCounts(
        _counts(codes, population, distinct=True), _counts(codes, population, distinct=False)
    )


def _worst_grades(events: Sequence[AdverseEvent]) -> Mapping[int, int]:
    worst: dict[str, int] = {}
    for e in events:
        worst[e.subject_code] = max(worst.get(e.subject_code, 0), e.grade)
    tally = Counter(worst.values())
    return MappingProxyType({g: tally.get(g, 0) for g in range(1, 6)})


def _row(
    soc: str, term: str | None, events: Sequence[AdverseEvent], population: Sequence[Subject]
) -> AeTableRow:
    counts = _event_counts(events, population)
    return AeTableRow(soc, term, counts.patients, counts.events, _worst_grades(events))


def _frequency(row: AeTableRow) -> tuple[int, int, str]:
    return (-row.patients.overall, -row.events.overall, (row.term or row.soc).casefold())


def ae_tables(
    population: Sequence[Subject],
    events: Sequence[AdverseEvent],
    *,
    related: frozenset[Relatedness],
) -> AeTables:
    """AE tables of ``events`` over ``population`` (the denominators; every event's subject
    must be in it)."""
    members = {s.code for s in population}
    outside = sorted({e.subject_code for e in events} - members)
    if outside:
        raise ValueError(f"ae_tables: events of subjects outside the population: {outside}")
    rows: list[AeTableRow] = []
    by_soc: dict[str, list[AdverseEvent]] = {}
    for e in events:
        by_soc.setdefault(e.soc, []).append(e)
    soc_rows = sorted(
        (_row(soc, None, evs, population) for soc, evs in by_soc.items()), key=_frequency
    )
    for soc_row in soc_rows:
        rows.append(soc_row)
        by_term: dict[str, list[AdverseEvent]] = {}
        for e in by_soc[soc_row.soc]:
            by_term.setdefault(e.term, []).append(e)
        rows.extend(
            sorted(
                (_row(soc_row.soc, t, evs, population) for t, evs in by_term.items()),
                key=_frequency,
            )
        )

    worst: dict[str, int] = {s.code: 0 for s in population}
    for e in events:
        worst[e.subject_code] = max(worst[e.subject_code], e.grade)
    worst_grade = MappingProxyType(
        {
            g: _counts([c for c, w in worst.items() if w == g], population, distinct=True)
            for g in range(6)
        }
    )

    def relation(attribute: str) -> Mapping[Relatedness, EventCounts]:
        return MappingProxyType(
            {
                r: _event_counts([e for e in events if getattr(e, attribute) is r], population)
                for r in Relatedness
            }
        )

    return AeTables(
        population=_counts([s.code for s in population], population, distinct=True),
        any_event=_event_counts(events, population),
        rows=tuple(rows),
        worst_grade=worst_grade,
        grade_3_or_more=_event_counts([e for e in events if e.grade >= 3], population),
        serious=_event_counts([e for e in events if e.serious], population),
        relation_msc=relation("relation_msc"),
        relation_procedure=relation("relation_procedure"),
        related_msc=_event_counts([e for e in events if e.relation_msc in related], population),
        related_procedure=_event_counts(
            [e for e in events if e.relation_procedure in related], population
        ),
    )


def _endpoint(
    name: Message,
    with_event: Iterable[str],
    population: Sequence[Subject],
    confidence: float,
) -> ToleranceEndpoint:
    codes = set(with_event)
    by_level = {}
    for level in _levels(population):
        group = [s for s in population if s.dose_level == level]
        by_level[level] = proportion(sum(s.code in codes for s in group), len(group), confidence)
    overall = proportion(sum(s.code in codes for s in population), len(population), confidence)
    return ToleranceEndpoint(
        name,
        overall,
        MappingProxyType(by_level),
        tuple(sorted(c for c in codes if c in {s.code for s in population})),
    )


def _followed_to_horizon(subject: Subject, dataset: AnalysisDataset, months: int) -> bool:
    """Completed the protocol's follow-up, followed to the horizon, or died before it."""
    if subject.end_cause is EndCause.COMPLETED:
        return True
    horizon = add_months(_infusion(subject), months)
    if subject.death_date is not None and subject.death_date <= horizon:
        return True
    return follow_up_end(subject, dataset) >= horizon


def _infusion(subject: Subject) -> date:
    if subject.infusion_date is None:
        raise ValueError(f"{subject.code} was not infused")
    return subject.infusion_date


def _infused(dataset: AnalysisDataset) -> list[Subject]:
    return [s for s in dataset.subjects if s.infusion_date is not None]


def tolerance(dataset: AnalysisDataset, settings: AnalysisSettings) -> ToleranceResults:
    """The primary endpoint, immediate tolerance and the AE tables of the safety population."""
    population = _infused(dataset)
    classified = _classify(dataset, settings)
    counted = [c for c in classified if c.in_horizon]
    grade = settings.tolerance.severe_grade
    months = settings.horizon_months
    severe = [c for c in counted if c.severe]
    primary = _endpoint(
        Message(
            f"Patients avec ≥ 1 toxicité de grade ≥ {grade} sur {months} mois",
            f"Patients with ≥ 1 grade ≥ {grade} toxicity over {months} months",
        ),
        (c.subject.code for c in severe),
        population,
        settings.confidence,
    )
    primary_related = _endpoint(
        Message(
            f"Patients avec ≥ 1 toxicité de grade ≥ {grade} liée aux CSM sur {months} mois",
            f"Patients with ≥ 1 grade ≥ {grade} toxicity related to the MSC over {months} months",
        ),
        (c.subject.code for c in severe if c.event.relation_msc in settings.related),
        population,
        settings.confidence,
    )
    last = settings.tolerance.immediate_last_day
    immediate = _endpoint(
        Message(
            f"Patients avec ≥ 1 toxicité de grade ≥ {grade} de J0 à J{last} "
            "(perfusion non tolérée)",
            f"Patients with ≥ 1 grade ≥ {grade} toxicity from D0 to D{last} "
            "(infusion not tolerated)",
        ),
        (c.subject.code for c in severe if c.period is OnsetPeriod.IMMEDIATE),
        population,
        settings.confidence,
    )
    full = sum(_followed_to_horizon(s, dataset, months) for s in population)
    return ToleranceResults(
        safety_population=_counts([s.code for s in population], population, distinct=True),
        full_follow_up=full,
        primary=primary,
        primary_related=primary_related,
        immediate=immediate,
        severe_events=tuple(_listing(c) for c in severe),
        tables=ae_tables(population, [c.event for c in counted], related=settings.related),
        events_before_infusion=sum(c.period is OnsetPeriod.BEFORE_INFUSION for c in classified),
        events_after_horizon=sum(
            c.period is not None
            and c.period is not OnsetPeriod.BEFORE_INFUSION
            and not c.in_horizon
            for c in classified
        ),
    )


def late_tolerance(dataset: AnalysisDataset, settings: AnalysisSettings) -> LateTolerance:
    """Tolerance beyond the early period (3 months) and the malignancies."""
    infused = _infused(dataset)
    classified = _classify(dataset, settings)
    late = [c for c in classified if c.in_horizon and c.period is OnsetPeriod.LATE]
    with_late = {c.subject.code for c in late}
    at_risk = []
    for s in infused:
        early_end = add_months(_infusion(s), settings.tolerance.early_months)
        if follow_up_end(s, dataset) > early_end or s.code in with_late:
            at_risk.append(s)
    months = settings.tolerance.early_months
    grade = settings.tolerance.severe_grade
    any_late = _endpoint(
        Message(
            f"Patients avec ≥ 1 EI après {months} mois",
            f"Patients with ≥ 1 AE beyond {months} months",
        ),
        (c.subject.code for c in late),
        at_risk,
        settings.confidence,
    )
    severe_late = _endpoint(
        Message(
            f"Patients avec ≥ 1 EI de grade ≥ {grade} après {months} mois",
            f"Patients with ≥ 1 grade ≥ {grade} AE beyond {months} months",
        ),
        (c.subject.code for c in late if c.severe),
        at_risk,
        settings.confidence,
    )
    malignant = [c for c in classified if c.malignancy]
    after = (
        c.subject.code
        for c in malignant
        if c.period is not None and c.period is not OnsetPeriod.BEFORE_INFUSION
    )
    return LateTolerance(
        at_risk=_counts([s.code for s in at_risk], infused, distinct=True),
        any_late=any_late,
        severe_late=severe_late,
        tables=ae_tables(at_risk, [c.event for c in late], related=settings.related),
        malignancies=tuple(_listing(c) for c in malignant),
        malignancy_after_infusion=_endpoint(
            Message(
                "Patients avec une néoplasie après la perfusion",
                "Patients with a neoplasm after the infusion",
            ),
            after,
            infused,
            settings.confidence,
        ),
    )
