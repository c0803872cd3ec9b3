"""Composite response indices in diffuse SSc: ACR-CRISS and the revised CRISS.

Sources (DOMAIN.md §4):

- Khanna D et al. The American College of Rheumatology provisional composite response index for
  clinical trials in early diffuse cutaneous systemic sclerosis. Arthritis Rheumatol
  2016;68:299–311.
  Step 1: *not improved* (probability 0) if, attributable to SSc, any of: new scleroderma renal
  crisis; FVC % predicted fall ≥ 15 % (relative) confirmed by a second FVC within a month, with
  ILD on HRCT and FVC < 80 % predicted; new left-ventricular failure (LVEF ≤ 45 %) requiring
  treatment; new PAH on right heart catheterisation requiring treatment.
  Step 2: with Δ = follow-up − baseline (globals 0–10, higher worse; HAQ-DI 0–3)
  ``z = −5.54 − 0.81·ΔmRSS + 0.21·ΔFVC%pred − 0.40·ΔPatientGlobal − 0.44·ΔPhysicianGlobal
  − 3.41·ΔHAQ-DI`` and ``P = eᶻ / (1 + eᶻ)``; improved if P ≥ 0.60 (a parameter).
  The signs were restored from a source that had lost its minus signs (**check** against the
  paper). Validated for 1-year change: 3-, 6- or 9-month values are exploratory.
- Khanna D et al. Ann Rheum Dis 2021;80:641–50 (revised CRISS): improvement of ≥ X % (relative,
  baseline to 1 year) in ≥ 3 of the 5 core items, FVC with its own smaller threshold (5 %).
  The endorsed wording is not confirmed, so X, the FVC threshold, the minimum number of items,
  the worsening cap and whether step 1 applies are settings (:class:`RevisedCrissSettings`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType

from sclerocell.clinical._checks import number, tristate
from sclerocell.clinical.errors import ClinicalInputError

__all__ = [
    "CORE_ITEMS",
    "CRISS_COEFFICIENTS",
    "CRISS_INTERCEPT",
    "CoreItem",
    "CoreSet",
    "CrissChanges",
    "CrissResult",
    "RevisedCrissResult",
    "RevisedCrissSettings",
    "Step1Events",
    "acr_criss",
    "criss_probability",
    "fvc_step1_event",
    "revised_criss",
]

CRISS_INTERCEPT = -5.54
CRISS_COEFFICIENTS: Mapping[str, float] = MappingProxyType(
    {
        "delta_mrss": -0.81,
        "delta_fvc_percent_predicted": 0.21,
        "delta_patient_global": -0.40,
        "delta_physician_global": -0.44,
        "delta_haq_di": -3.41,
    }
)
VALIDATED_INTERVAL_MONTHS = 12


@dataclass(frozen=True)
class Step1Events:
    """ACR-CRISS step 1 events since baseline, attributable to SSc (``None`` = unknown)."""

    new_scleroderma_renal_crisis: bool | None = None
    fvc_decline: bool | None = None  # see fvc_step1_event()
    new_left_ventricular_failure: bool | None = None  # LVEF ≤ 45 %, requiring treatment
    new_pah_requiring_treatment: bool | None = None  # on right heart catheterisation

    def __post_init__(self) -> None:
        for f in fields(self):
            tristate(getattr(self, f.name), f.name)

    @property
    def present(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self) if getattr(self, f.name) is True)

    @property
    def unknown(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self) if getattr(self, f.name) is None)

    @property
    def any_event(self) -> bool | None:
        """Kleene OR of the events."""
        if self.present:
            return True
        return None if self.unknown else False


def fvc_step1_event(
    *,
    baseline_fvc: float | None,
    follow_up_fvc: float | None,
    confirmed_within_a_month: bool | None,
    ild_on_hrct: bool | None,
    relative_fall_percent: float = 15.0,
    fvc_below: float = 80.0,
) -> bool | None:
    """The step-1 FVC event: fall ≥ 15 % (relative) from baseline, confirmed by a second FVC
    within a month, with ILD on HRCT and follow-up FVC < 80 % predicted (tri-state)."""
    confirmed = tristate(confirmed_within_a_month, "confirmed_within_a_month")
    ild = tristate(ild_on_hrct, "ild_on_hrct")
    fall: bool | None = None
    low: bool | None = None
    if follow_up_fvc is not None:
        end = number(follow_up_fvc, "follow_up_fvc", minimum=0)
        low = end < fvc_below
        if baseline_fvc is not None:
            start = number(baseline_fvc, "baseline_fvc", minimum=0, strict_minimum=True)
            fall = (start - end) * 100.0 / start >= relative_fall_percent
    conditions = (fall, confirmed, ild, low)
    if any(c is False for c in conditions):
        return False
    return None if any(c is None for c in conditions) else True


@dataclass(frozen=True)
class CrissChanges:
    """Follow-up minus baseline for the five step-2 variables."""

    delta_mrss: float
    delta_fvc_percent_predicted: float
    delta_patient_global: float
    delta_physician_global: float
    delta_haq_di: float

    def __post_init__(self) -> None:
        bounds = {
            "delta_mrss": 51.0,
            "delta_fvc_percent_predicted": 200.0,
            "delta_patient_global": 10.0,
            "delta_physician_global": 10.0,
            "delta_haq_di": 3.0,
        }
        for name, bound in bounds.items():
            number(getattr(self, name), name, minimum=-bound, maximum=bound)


def _logistic(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


def criss_probability(changes: CrissChanges) -> float:
    """ACR-CRISS step-2 probability of improvement (0–1)."""
    z = CRISS_INTERCEPT + sum(
        coefficient * float(getattr(changes, name))
        for name, coefficient in CRISS_COEFFICIENTS.items()
    )
    return _logistic(z)


@dataclass(frozen=True)
class CrissResult:
    """ACR-CRISS outcome: ``improved`` is ``None`` only when unknown data could change it."""

    step1_events: tuple[str, ...]  # events present → not improved, probability 0
    step1_unknown: tuple[str, ...]
    probability: float | None  # 0.0 when a step-1 event is present; None when Δs are missing
    threshold: float
    improved: bool | None
    interval_months: int | None
    exploratory: bool  # not the validated 12-month interval

    def explain(self) -> str:
        if self.step1_events:
            text = f"ACR-CRISS not improved: step 1 event(s) {', '.join(self.step1_events)}"
        elif self.probability is None:
            text = "ACR-CRISS not computable: step-2 changes missing"
        else:
            verdict = {True: "improved", False: "not improved", None: "undetermined"}
            text = (
                f"ACR-CRISS P = {self.probability:.3f} (improved if ≥ {self.threshold:.2f}): "
                f"{verdict[self.improved]}"
            )
            if self.improved is None and self.step1_unknown:
                text += f"; step 1 unknown: {', '.join(self.step1_unknown)}"
        if self.exploratory:
            text += f" — exploratory ({self.interval_months} months; validated at 12)"
        return text


def acr_criss(
    step1: Step1Events,
    changes: CrissChanges | None,
    *,
    threshold: float = 0.60,
    interval_months: int | None = VALIDATED_INTERVAL_MONTHS,
) -> CrissResult:
    """ACR-CRISS: step 1 (any event → not improved), then step 2 (P ≥ ``threshold``)."""
    cut = number(threshold, "threshold", minimum=0, maximum=1)
    exploratory = interval_months != VALIDATED_INTERVAL_MONTHS
    if step1.present:
        return CrissResult(
            step1_events=step1.present,
            step1_unknown=step1.unknown,
            probability=0.0,
            threshold=cut,
            improved=False,
            interval_months=interval_months,
            exploratory=exploratory,
        )
    probability = None if changes is None else criss_probability(changes)
    improved: bool | None
    if probability is None:
        improved = None
    elif probability < cut:
        improved = False  # whatever step 1 turns out to be
    else:
        improved = None if step1.unknown else True
    return CrissResult(
        step1_events=(),
        step1_unknown=step1.unknown,
        probability=probability,
        threshold=cut,
        improved=improved,
        interval_months=interval_months,
        exploratory=exploratory,
    )


# --- Revised CRISS -----------------------------------------------------------------------------


CORE_ITEMS: tuple[str, ...] = (
    "mrss",
    "fvc_percent_predicted",
    "patient_global",
    "physician_global",
    "haq_di",
)


@dataclass(frozen=True)
class RevisedCrissSettings:
    """Parameters of the revised CRISS (defaults from DOMAIN.md §4; marked **check** there)."""

    improvement_percent: float = 20.0  # X: relative improvement for mRSS, globals, HAQ-DI
    fvc_improvement_percent: float = 5.0  # FVC's own, smaller threshold
    min_items_improved: int = 3
    worsening_percent: float = 20.0  # an item counts as worsened beyond this relative change
    fvc_worsening_percent: float = 5.0
    max_items_worsened: int | None = 1  # None: no cap
    apply_step1: bool = True

    def __post_init__(self) -> None:
        for name in (
            "improvement_percent",
            "fvc_improvement_percent",
            "worsening_percent",
            "fvc_worsening_percent",
        ):
            number(getattr(self, name), name, minimum=0, strict_minimum=True)
        if not 1 <= self.min_items_improved <= len(CORE_ITEMS):
            raise ClinicalInputError(
                f"min_items_improved: {self.min_items_improved} must be 1 to {len(CORE_ITEMS)}",
                field="min_items_improved",
            )
        if self.max_items_worsened is not None and self.max_items_worsened < 0:
            raise ClinicalInputError(
                "max_items_worsened: must be ≥ 0 or None", field="max_items_worsened"
            )


@dataclass(frozen=True)
class CoreSet:
    """The five core items at one visit (``None`` = not measured)."""

    mrss: float | None = None
    fvc_percent_predicted: float | None = None
    patient_global: float | None = None
    physician_global: float | None = None
    haq_di: float | None = None

    def __post_init__(self) -> None:
        maxima = {
            "mrss": 51.0,
            "fvc_percent_predicted": 250.0,
            "patient_global": 10.0,
            "physician_global": 10.0,
            "haq_di": 3.0,
        }
        for name, maximum in maxima.items():
            value = getattr(self, name)
            if value is not None:
                number(value, name, minimum=0, maximum=maximum)


@dataclass(frozen=True)
class CoreItem:
    """One core item's relative change; for FVC higher is better, for the others lower is."""

    item: str
    baseline: float | None
    follow_up: float | None
    improvement_percent: float | None  # positive = better; None if missing or baseline 0
    improved: bool | None
    worsened: bool | None


def _core_item(
    item: str, start: float | None, end: float | None, s: RevisedCrissSettings
) -> CoreItem:
    if start is None or end is None:
        return CoreItem(item, start, end, None, None, None)
    higher_is_better = item == "fvc_percent_predicted"
    better = (end - start) if higher_is_better else (start - end)
    up = s.fvc_improvement_percent if higher_is_better else s.improvement_percent
    down = s.fvc_worsening_percent if higher_is_better else s.worsening_percent
    if start == 0:
        # From 0 nothing can improve; any rise of a "lower is better" item is a worsening.
        return CoreItem(item, start, end, None, False, better < 0)
    percent = better * 100.0 / start
    return CoreItem(item, start, end, percent, percent >= up, -percent >= down)


@dataclass(frozen=True)
class RevisedCrissResult:
    items: tuple[CoreItem, ...]
    improved_count_min: int
    improved_count_max: int
    worsened_count_min: int
    worsened_count_max: int
    step1_events: tuple[str, ...]
    settings: RevisedCrissSettings
    improved: bool | None

    def explain(self) -> list[str]:
        lines = []
        for item in self.items:
            if item.improvement_percent is None:
                change = "missing" if item.improved is None else "baseline 0"
            else:
                change = f"{item.improvement_percent:+.1f} % (positive = better)"
            lines.append(f"{item.item}: {change}")
        s = self.settings
        lines.append(
            f"improved items {self.improved_count_min}–{self.improved_count_max} "
            f"(need ≥ {s.min_items_improved}); worsened {self.worsened_count_min}–"
            f"{self.worsened_count_max} (cap {s.max_items_worsened})"
        )
        if self.step1_events:
            lines.append(f"step 1 event(s): {', '.join(self.step1_events)}")
        verdict = {True: "responder", False: "non-responder", None: "undetermined"}
        lines.append(f"revised CRISS: {verdict[self.improved]}")
        return lines


def revised_criss(
    baseline: CoreSet,
    follow_up: CoreSet,
    *,
    step1: Step1Events | None = None,
    settings: RevisedCrissSettings | None = None,
) -> RevisedCrissResult:
    """Revised CRISS (tri-state): ≥ N core items improved by their threshold, at most the cap
    worsened, and (when ``settings.apply_step1``) no step-1 event."""
    s = settings or RevisedCrissSettings()
    items = tuple(
        _core_item(name, getattr(baseline, name), getattr(follow_up, name), s)
        for name in CORE_ITEMS
    )
    improved_min = sum(1 for i in items if i.improved is True)
    improved_max = sum(1 for i in items if i.improved is not False)
    worsened_min = sum(1 for i in items if i.worsened is True)
    worsened_max = sum(1 for i in items if i.worsened is not False)
    cap = s.max_items_worsened
    if not s.apply_step1:
        events = Step1Events(False, False, False, False)
    elif step1 is None:
        events = Step1Events()  # step 1 applies but was not assessed: unknown
    else:
        events = step1
    any_event = events.any_event

    surely = (
        improved_min >= s.min_items_improved
        and (cap is None or worsened_max <= cap)
        and any_event is False
    )
    surely_not = (
        improved_max < s.min_items_improved
        or (cap is not None and worsened_min > cap)
        or any_event is True
    )
    improved: bool | None = False if surely_not else True if surely else None
    return RevisedCrissResult(
        items=items,
        improved_count_min=improved_min,
        improved_count_max=improved_max,
        worsened_count_min=worsened_min,
        worsened_count_max=worsened_max,
        step1_events=events.present,
        settings=s,
        improved=improved,
    )
