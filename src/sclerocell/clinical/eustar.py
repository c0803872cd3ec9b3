"""Revised EUSTAR disease activity index for systemic sclerosis.

Source: Valentini G et al. The European Scleroderma Trials and Research group (EUSTAR) task
force for the development of revised activity criteria for systemic sclerosis: derivation and
validation of a preliminarily revised EUSTAR activity index. Ann Rheum Dis 2017;76:270–6
(weights as in the abstract, DOMAIN.md §4): Δ-skin (patient-reported worsening in the last
month) 1.5; mRSS > 18 1.5; digital ulcers 1.5; tendon friction rubs 2.25; CRP > 1 mg/dL 2.25;
DLCO < 70 % predicted 1.0. Maximum 10; a score ≥ 2.5 means active disease.
A continuous variant may exist (**check**): the weights and cut-offs are settings
(:class:`EustarWeights`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sclerocell.clinical._checks import number, tristate

__all__ = ["EustarItems", "EustarResult", "EustarWeights", "eustar_activity_index"]


@dataclass(frozen=True)
class EustarWeights:
    """Weights and cut-offs of the revised EUSTAR activity index (defaults: Valentini 2017)."""

    delta_skin: float = 1.5
    mrss: float = 1.5
    digital_ulcers: float = 1.5
    tendon_friction_rubs: float = 2.25
    crp: float = 2.25
    dlco: float = 1.0
    mrss_above: float = 18.0  # counts when mRSS > this
    crp_above_mg_per_dl: float = 1.0  # counts when CRP > this
    dlco_below_percent: float = 70.0  # counts when DLCO < this
    active_at: float = 2.5  # active when score ≥ this

    def __post_init__(self) -> None:
        for name in ("delta_skin", "mrss", "digital_ulcers", "tendon_friction_rubs", "crp", "dlco"):
            number(getattr(self, name), name, minimum=0)
        number(self.active_at, "active_at", minimum=0)

    @property
    def maximum(self) -> float:
        return (
            self.delta_skin
            + self.mrss
            + self.digital_ulcers
            + self.tendon_friction_rubs
            + self.crp
            + self.dlco
        )


@dataclass(frozen=True)
class EustarItems:
    """The index's inputs (``None`` = unknown). CRP in mg/dL: 10 mg/L = 1 mg/dL
    (use :func:`sclerocell.clinical.units.convert` from a lab report)."""

    delta_skin: bool | None = None  # patient-reported skin worsening in the last month
    mrss: int | None = None
    digital_ulcers: bool | None = None  # active digital ulcers
    tendon_friction_rubs: bool | None = None
    crp_mg_per_dl: float | None = None
    dlco_percent_predicted: float | None = None

    def __post_init__(self) -> None:
        for name in ("delta_skin", "digital_ulcers", "tendon_friction_rubs"):
            tristate(getattr(self, name), name)
        if self.mrss is not None:
            number(self.mrss, "mrss", minimum=0, maximum=51)
        if self.crp_mg_per_dl is not None:
            number(self.crp_mg_per_dl, "crp_mg_per_dl", minimum=0)
        if self.dlco_percent_predicted is not None:
            number(self.dlco_percent_predicted, "dlco_percent_predicted", minimum=0)


@dataclass(frozen=True)
class EustarResult:
    """Score bounds (unknown items as absent / present) and the activity verdict."""

    score_min: float
    score_max: float
    contributions: tuple[tuple[str, bool | None, float], ...]  # (item, counts?, weight)
    maximum: float
    active_at: float
    active: bool | None

    @property
    def score(self) -> float | None:
        """The score when no unknown item could change it."""
        return self.score_min if self.score_min == self.score_max else None

    def explain(self) -> str:
        counted = [f"{name} {weight:g}" for name, on, weight in self.contributions if on]
        unknown = [name for name, on, _ in self.contributions if on is None]
        score = (
            f"{self.score_min:g}"
            if self.score is not None
            else (f"{self.score_min:g}–{self.score_max:g}")
        )
        verdict = {True: "active", False: "not active", None: "undetermined"}[self.active]
        text = (
            f"EUSTAR activity index {score}/{self.maximum:g} "
            f"({' + '.join(counted) or 'no item'}); {verdict} (active ≥ {self.active_at:g})"
        )
        return text + (f"; unknown: {', '.join(unknown)}" if unknown else "")


def _above(value: float | None, cut: float) -> bool | None:
    return None if value is None else value > cut


def eustar_activity_index(items: EustarItems, weights: EustarWeights | None = None) -> EustarResult:
    """The revised EUSTAR activity index (tri-state: unknown items give a range)."""
    w = weights or EustarWeights()
    dlco = items.dlco_percent_predicted
    contributions: tuple[tuple[str, bool | None, float], ...] = (
        ("delta_skin", items.delta_skin, w.delta_skin),
        ("mrss", _above(None if items.mrss is None else float(items.mrss), w.mrss_above), w.mrss),
        ("digital_ulcers", items.digital_ulcers, w.digital_ulcers),
        ("tendon_friction_rubs", items.tendon_friction_rubs, w.tendon_friction_rubs),
        ("crp", _above(items.crp_mg_per_dl, w.crp_above_mg_per_dl), w.crp),
        ("dlco", None if dlco is None else dlco < w.dlco_below_percent, w.dlco),
    )
    score_min = sum(weight for _, on, weight in contributions if on is True)
    score_max = sum(weight for _, on, weight in contributions if on is not False)
    active: bool | None = (
        True if score_min >= w.active_at else False if score_max < w.active_at else None
    )
    return EustarResult(
        score_min=score_min,
        score_max=score_max,
        contributions=contributions,
        maximum=w.maximum,
        active_at=w.active_at,
        active=active,
    )
