"""Feasibility objective: how many included recipients reached each step of the product chain.

Every proportion is over the **included** recipients (the intention-to-treat denominator of a
feasibility objective), with an exact Clopper–Pearson interval; records of screened recipients
who were not included are ignored. The time from inclusion to infusion is summarised (median,
range) over the infused recipients.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from scipy.stats import beta

from sclerocell.product.messages import Message, ProductInputError


class FeasibilityStep(StrEnum):
    DONOR_FOUND = "donor_found"
    HARVEST_DONE = "harvest_done"
    RELEASED_FIRST_TIME = "released_first_time"
    INFUSED = "infused"
    INFUSED_AT_TARGET_DOSE = "infused_at_target_dose"


STEP_NAMES: dict[FeasibilityStep, Message] = {
    FeasibilityStep.DONOR_FOUND: Message("donneur trouvé", "donor found"),
    FeasibilityStep.HARVEST_DONE: Message("prélèvement médullaire réalisé", "marrow harvest done"),
    FeasibilityStep.RELEASED_FIRST_TIME: Message(
        "lot libéré du premier coup", "batch released first time"
    ),
    FeasibilityStep.INFUSED: Message("perfusé", "infused"),
    FeasibilityStep.INFUSED_AT_TARGET_DOSE: Message(
        "perfusé à la dose cible", "infused at the target dose"
    ),
}


@dataclass(frozen=True, slots=True)
class RecipientCourse:
    """One recipient's path through the product chain."""

    recipient_code: str
    included: bool
    donor_found: bool = False
    harvest_done: bool = False
    released_first_time: bool = False
    infused: bool = False
    infused_at_target_dose: bool = False
    days_inclusion_to_infusion: int | None = None

    def reached(self, step: FeasibilityStep) -> bool:
        return bool(getattr(self, step.value))


@dataclass(frozen=True, slots=True)
class Proportion:
    count: int
    total: int
    #: None when ``total`` is 0.
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float


@dataclass(frozen=True, slots=True)
class DaysSummary:
    n: int
    median: float | None
    minimum: int | None
    maximum: int | None


@dataclass(frozen=True, slots=True)
class FeasibilityReport:
    records: int
    included: int
    steps: Mapping[FeasibilityStep, Proportion]
    days_inclusion_to_infusion: DaysSummary


def clopper_pearson(count: int, total: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper–Pearson) two-sided interval for ``count`` successes out of ``total``."""
    if isinstance(count, bool) or isinstance(total, bool):
        raise ProductInputError(Message("Entier attendu.", "An integer is expected."))
    if total <= 0 or not 0 <= count <= total:
        raise ProductInputError(
            Message(
                f"Il faut 0 ≤ {count} ≤ {total} et un total > 0.",
                f"Need 0 ≤ {count} ≤ {total} and a total > 0.",
            ),
            field="count",
        )
    if not 0 < confidence < 1:
        raise ProductInputError(
            Message(
                "Le niveau de confiance doit être dans ]0, 1[.", "Confidence must be in (0, 1)."
            ),
            field="confidence",
        )
    alpha = 1 - confidence
    low = 0.0 if count == 0 else float(beta.ppf(alpha / 2, count, total - count + 1))
    high = 1.0 if count == total else float(beta.ppf(1 - alpha / 2, count + 1, total - count))
    return low, high


def proportion(count: int, total: int, confidence: float = 0.95) -> Proportion:
    if total == 0:
        return Proportion(0, 0, None, None, None, confidence)
    low, high = clopper_pearson(count, total, confidence)
    return Proportion(count, total, count / total, low, high, confidence)


def _validate(record: RecipientCourse) -> None:
    def error(fr: str, en: str, field: str) -> ProductInputError:
        return ProductInputError(
            Message(f"{record.recipient_code} : {fr}", f"{record.recipient_code}: {en}"),
            field=field,
        )

    if record.infused_at_target_dose and not record.infused:
        raise error(
            "dose cible cochée sans perfusion.", "target dose set without infusion.", "infused"
        )
    days = record.days_inclusion_to_infusion
    if days is not None:
        if not record.infused:
            raise error(
                "délai renseigné sans perfusion.", "delay given without infusion.", "infused"
            )
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise error(
                "le délai doit être un entier ≥ 0.",
                "the delay must be an integer ≥ 0.",
                "days_inclusion_to_infusion",
            )


def feasibility(records: Iterable[RecipientCourse], confidence: float = 0.95) -> FeasibilityReport:
    """Counts, proportions with exact intervals, and days from inclusion to infusion."""
    all_records = list(records)
    for record in all_records:
        _validate(record)
    included = [r for r in all_records if r.included]
    steps = {
        step: proportion(sum(r.reached(step) for r in included), len(included), confidence)
        for step in FeasibilityStep
    }
    days = [
        r.days_inclusion_to_infusion
        for r in included
        if r.infused and r.days_inclusion_to_infusion is not None
    ]
    summary = DaysSummary(
        n=len(days),
        median=float(statistics.median(days)) if days else None,
        minimum=min(days) if days else None,
        maximum=max(days) if days else None,
    )
    return FeasibilityReport(len(all_records), len(included), steps, summary)
