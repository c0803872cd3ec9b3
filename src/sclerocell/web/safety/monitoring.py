"""Safety monitoring: tolerance of each event, dose levels, toxicities and the stopping rule.

- **Tolerance** (``followup.tolerance``): each event of an infused recipient is classified from
  its onset date — before the infusion, immediate (D0–D10), early (to 3 months), late (beyond);
  grade ≥ 3 flagged; malignancy flagged by the neoplasms SOC or by the investigator.
- **Dose level** of a recipient: the level recorded at inclusion (``trial.Enrolment.dose_level``,
  from the enrolment work) when there is one; otherwise ``product.dosing.dose_level`` of the
  rank of inclusion computed here from the trial-wide order of inclusion (inclusion date, then
  entry order): 1–10 → level 1, 11–20 → level 2. ``dose_levels`` is the one place that decides.
- **Toxicity** (what the stopping rule counts): a recipient with at least one grade ≥ 3 event
  with onset from the infusion day to ``SCLEROCELL_STOPPING_WINDOW_MONTHS`` months after it,
  and — with the default ``SCLEROCELL_STOPPING_ATTRIBUTION = "suspected"`` — a relation to the
  MSC that is not "unlikely" or "not related".
- **Stopping rule** (``followup.stopping_rule``): per dose level and overall, on the infused
  recipients. ``stopping_rule_state()`` is trial-wide and needs no user: the dose-escalation gate
  calls it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldError
from django.utils import timezone

from sclerocell.criteria.windows import add_months
from sclerocell.followup.stopping_rule import (
    Boundary,
    SafetyReview,
    StoppingAssessment,
    StoppingRuleSettings,
    review,
    stopping_boundaries,
)
from sclerocell.followup.tolerance import (
    EventClassification,
    OnsetPeriod,
    classify_event,
    is_neoplasm_soc,
)
from sclerocell.product.dosing import DEFAULT_DOSE_SETTINGS, DoseLevel, dose_level
from sclerocell.product.messages import ProductInputError
from sclerocell.web.trial.models import Participant
from sclerocell.web.trial.studycode import Kind

from . import conf
from .models import SUSPECTED, AdverseEvent

DOSE_LEVEL_SOURCE = "inclusion order"


# --- Tolerance of one event ---------------------------------------------------------------------


def classify(event: AdverseEvent) -> EventClassification | None:
    """The event's period and flags; None for a donor or a recipient not (yet) infused."""
    participant = event.participant
    if not participant.is_recipient or participant.infusion_date is None:
        return None
    return classify_event(
        participant.infusion_date,
        event.onset_date,
        event.grade,
        soc=event.soc,
        malignancy=event.malignancy,
        settings=conf.tolerance(),
    )


def is_malignancy(event: AdverseEvent) -> bool:
    """Flagged for review: neoplasms SOC or the investigator's flag (donors included)."""
    return event.malignancy or is_neoplasm_soc(event.soc)


# --- Dose levels --------------------------------------------------------------------------------


def inclusion_ranks() -> dict[int, int]:
    """Trial-wide rank of inclusion (1-based) of every included recipient, by primary key."""
    included = (
        Participant.objects.filter(kind=Kind.RECIPIENT.value, inclusion_date__isnull=False)
        .order_by("inclusion_date", "pk")
        .values_list("pk", flat=True)
    )
    return {pk: rank for rank, pk in enumerate(included, start=1)}


def recorded_levels() -> dict[int, int]:
    """The dose level recorded at inclusion (``trial.Enrolment``), when the trial app has it."""
    try:
        enrolment = apps.get_model("trial", "Enrolment")
        rows = enrolment.objects.filter(kind=Kind.RECIPIENT.value, dose_level__isnull=False)
        pairs = rows.values_list("participant_id", "dose_level")
        return {pk: int(level) for pk, level in pairs if level is not None}
    except (LookupError, FieldError):
        return {}


def dose_levels() -> dict[int, DoseLevel | None]:
    """The dose level of every included recipient: as recorded at inclusion, else from the rank
    of inclusion; None when the rank exceeds the capacity."""
    by_number = {level.level: level for level in DEFAULT_DOSE_SETTINGS.levels}
    levels: dict[int, DoseLevel | None] = {}
    for pk, rank in inclusion_ranks().items():
        try:
            levels[pk] = dose_level(rank, DEFAULT_DOSE_SETTINGS)
        except ProductInputError:
            levels[pk] = None
    for pk, number in recorded_levels().items():
        levels[pk] = by_number.get(number)
    return levels


# --- Toxicities and the stopping rule -----------------------------------------------------------


def counts_as_toxicity(
    event: AdverseEvent,
    infusion: datetime.date,
    *,
    attribution: str,
    window_months: int,
    severe_grade: int,
) -> bool:
    if event.grade < severe_grade:
        return False
    if event.onset_date < infusion:
        return False
    if event.onset_date > add_months(infusion, window_months):
        return False
    return attribution == "any" or event.relation_to_msc in SUSPECTED


@dataclass(frozen=True)
class LevelState:
    """One dose level: who was treated, who had a toxicity, and the rule's assessment."""

    level: DoseLevel
    treated: tuple[int, ...]
    toxic: tuple[int, ...]
    assessment: StoppingAssessment


@dataclass(frozen=True)
class StoppingRuleState:
    """The stopping rule, trial-wide, as of ``as_of``."""

    as_of: datetime.date
    settings: StoppingRuleSettings
    attribution: str
    window_months: int
    levels: tuple[LevelState, ...]
    review: SafetyReview
    boundaries: tuple[Boundary, ...]
    #: Infused recipients with no dose level (not included, or ranked beyond the capacity).
    unassigned: tuple[int, ...] = field(default=())
    dose_level_source: str = DOSE_LEVEL_SOURCE

    @property
    def stop(self) -> bool:
        """True when the rule triggers at any dose level or overall: refer to the safety board."""
        return self.review.stop

    @property
    def overall(self) -> StoppingAssessment:
        return self.review.overall

    def level(self, number: int) -> LevelState:
        return next(state for state in self.levels if state.level.level == number)


def _toxic_recipients(
    infused: Mapping[int, datetime.date], events: Iterable[AdverseEvent], as_of: datetime.date
) -> set[int]:
    attribution = conf.stopping_attribution()
    window = conf.stopping_window_months()
    severe = conf.tolerance().severe_grade
    return {
        event.participant_id
        for event in events
        if event.participant_id in infused
        and event.onset_date <= as_of
        and counts_as_toxicity(
            event,
            infused[event.participant_id],
            attribution=attribution,
            window_months=window,
            severe_grade=severe,
        )
    }


def stopping_rule_state(*, as_of: datetime.date | None = None) -> StoppingRuleState:
    """The Bayesian stopping rule at every dose level and overall, over every site.

    For the safety board's page and for the dose-escalation gate. Treated: recipients infused
    on or before ``as_of`` (default today); toxicities: see the module docstring.
    """
    today = as_of or timezone.localdate()
    settings = conf.stopping_rule_settings()
    rows = Participant.objects.filter(
        kind=Kind.RECIPIENT.value, infusion_date__isnull=False, infusion_date__lte=today
    ).values_list("pk", "infusion_date")
    infused = {pk: day for pk, day in rows if day is not None}
    events = AdverseEvent.objects.filter(
        participant_id__in=list(infused), grade__gte=conf.tolerance().severe_grade
    ).only("participant_id", "grade", "onset_date", "relation_to_msc")
    toxic = _toxic_recipients(infused, events, today)
    levels = dose_levels()
    by_level: dict[int, tuple[list[int], list[int]]] = {
        level.level: ([], []) for level in DEFAULT_DOSE_SETTINGS.levels
    }
    unassigned = []
    for pk in sorted(infused):
        level = levels.get(pk)
        if level is None:
            unassigned.append(pk)
            continue
        treated, toxicities = by_level[level.level]
        treated.append(pk)
        if pk in toxic:
            toxicities.append(pk)
    result = review({n: (len(x), len(t)) for n, (t, x) in by_level.items()}, settings)
    states = tuple(
        LevelState(
            level,
            tuple(by_level[level.level][0]),
            tuple(by_level[level.level][1]),
            result.by_level[level.level],
        )
        for level in DEFAULT_DOSE_SETTINGS.levels
    )
    return StoppingRuleState(
        as_of=today,
        settings=settings,
        attribution=conf.stopping_attribution(),
        window_months=conf.stopping_window_months(),
        levels=states,
        review=result,
        boundaries=stopping_boundaries(settings),
        unassigned=tuple(unassigned),
    )


# --- Tolerance by recipient (the overview) ------------------------------------------------------


@dataclass
class RecipientTolerance:
    """One infused recipient's safety summary."""

    participant: Participant
    level: DoseLevel | None
    events: list[tuple[AdverseEvent, EventClassification]] = field(default_factory=list)

    def _severe(self, period: OnsetPeriod | None = None) -> list[AdverseEvent]:
        return [
            event
            for event, found in self.events
            if found.severe and (period is None or found.period == period)
        ]

    @property
    def immediate_tolerated(self) -> bool:
        """No grade ≥ 3 event from the infusion to D10 (the infusion was tolerated)."""
        return not self._severe(OnsetPeriod.IMMEDIATE)

    @property
    def severe_immediate(self) -> list[AdverseEvent]:
        return self._severe(OnsetPeriod.IMMEDIATE)

    @property
    def severe_early(self) -> list[AdverseEvent]:
        return self._severe(OnsetPeriod.EARLY)

    @property
    def severe_late(self) -> list[AdverseEvent]:
        return self._severe(OnsetPeriod.LATE)

    @property
    def malignancies(self) -> list[AdverseEvent]:
        return [event for event, found in self.events if found.malignancy]


def tolerance_by_recipient(
    recipients: Iterable[Participant], events: Iterable[AdverseEvent]
) -> list[RecipientTolerance]:
    """The infused recipients among ``recipients``, each with its classified events."""
    levels = dose_levels()
    rows = {
        p.pk: RecipientTolerance(p, levels.get(p.pk))
        for p in recipients
        if p.is_recipient and p.infusion_date is not None
    }
    for event in events:
        row = rows.get(event.participant_id)
        if row is None:
            continue
        found = classify(event)
        if found is not None:
            row.events.append((event, found))
    return sorted(
        rows.values(),
        key=lambda r: (r.level.level if r.level else 99, r.participant.infusion_date),
    )


# --- Malignancy surveillance --------------------------------------------------------------------


@dataclass
class SurveillanceVisit:
    """One post-infusion visit of a recipient and its malignancy surveillance answer."""

    code: str
    visit_date: datetime.date
    answer: str  # "yes", "no", "not_assessed", or "" (missing)
    findings: list[str] = field(default_factory=list)  # explained discrepancies


@dataclass
class SurveillanceCoverage:
    """Per recipient: how many post-infusion visits answered no, yes, not assessed, or nothing."""

    participant: Participant
    visits: list[SurveillanceVisit] = field(default_factory=list)

    def count(self, answer: str) -> int:
        return sum(1 for v in self.visits if v.answer == answer)

    @property
    def no(self) -> int:
        return self.count("no")

    @property
    def yes(self) -> int:
        return self.count("yes")

    @property
    def not_assessed(self) -> int:
        return self.count("not_assessed")

    @property
    def missing(self) -> int:
        return self.count("")

    @property
    def discrepancies(self) -> list[SurveillanceVisit]:
        return [v for v in self.visits if v.findings]


def surveillance_coverage(
    recipients: Iterable[Participant], events: Iterable[AdverseEvent]
) -> list[SurveillanceCoverage]:
    """The malignancy surveillance of the infused ``recipients``: every recorded visit where the
    item is expected (or answered), its answer, and the discrepancies with the malignancy events
    (a "yes" without an event since the previous visit, an event without a "yes")."""
    from sclerocell.web.followup.checks import surveillance_findings
    from sclerocell.web.followup.definitions import FORMS
    from sclerocell.web.followup.models import FORM_MODELS, Visit
    from sclerocell.web.followup.visits import expected_forms

    rows = {
        p.pk: SurveillanceCoverage(p)
        for p in recipients
        if p.is_recipient and p.infusion_date is not None
    }
    malignant: dict[int, list[AdverseEvent]] = {}
    for event in events:
        if event.participant_id in rows and is_malignancy(event):
            malignant.setdefault(event.participant_id, []).append(event)
    forms = FORM_MODELS["surveillance"].objects.filter(visit__participant__in=list(rows))
    answers: dict[int, str] = {form.visit_id: form.values()["new_malignancy"] for form in forms}
    spec = FORMS["surveillance"]
    visits: dict[int, list[Visit]] = {}
    for visit in Visit.objects.filter(participant__in=list(rows)).order_by("visit_date", "pk"):
        visits.setdefault(visit.participant_id, []).append(visit)
    for participant_id, recorded in visits.items():
        for visit in recorded:
            answer = answers.get(visit.pk)
            if answer is None and spec not in expected_forms(visit.code):
                continue
            since = max(
                (v.visit_date for v in recorded if v.visit_date < visit.visit_date), default=None
            )
            found = surveillance_findings(
                answer or "", since, visit.visit_date, malignant.get(participant_id, [])
            )
            rows[participant_id].visits.append(
                SurveillanceVisit(
                    visit.code, visit.visit_date, answer or "", [f.message for f in found]
                )
            )
    return sorted(rows.values(), key=lambda r: (r.participant.infusion_date, r.participant.pk))
