"""Settings of the statistical analysis plan (``docs/analysis-plan.md``), versioned as one object.

Every choice the plan makes that a statistician could reasonably make differently is here, with
its default; the results carry the settings they were computed with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sclerocell.analysis.dataset import BASELINE, VARIABLES, VISIT_CODES, Relatedness
from sclerocell.followup.schedule import DEFAULT_SCHEDULE, ScheduleSettings
from sclerocell.followup.tolerance import DEFAULT_TOLERANCE, ToleranceSettings

__all__ = ["DEFAULT_SETTINGS", "AnalysisSettings", "RecruitmentTarget"]


@dataclass(frozen=True, slots=True)
class RecruitmentTarget:
    """The planned recruitment: ``recipients`` over ``months`` from ``start`` (a straight line)."""

    start: date = date(2014, 3, 1)
    months: int = 54
    recipients: int = 20


@dataclass(frozen=True, slots=True)
class AnalysisSettings:
    version: str = "SAP v1"
    confidence: float = 0.95
    #: Follow-up horizon of the primary endpoint and of survival (months after the origin).
    horizon_months: int = 24
    #: Visits of the response analyses (paired tests, CRISS).
    response_visits: tuple[str, ...] = ("M3", "M6", "M9", "M12")
    #: Visits entered in the mixed model (the first is the reference).
    model_visits: tuple[str, ...] = (BASELINE, "M3", "M6", "M9", "M12")
    response_variables: tuple[str, ...] = (
        "mrss",
        "fvc_percent_predicted",
        "dlco_percent_predicted",
        "haq_di",
    )
    criss_threshold: float = 0.60
    #: Time origin of survival: the infusion (infused recipients) or the inclusion (all).
    survival_origin: Literal["infusion", "inclusion"] = "infusion"
    #: Causality categories counted as "related".
    related: frozenset[Relatedness] = frozenset(
        {Relatedness.POSSIBLE, Relatedness.PROBABLE, Relatedness.CERTAIN}
    )
    tolerance: ToleranceSettings = DEFAULT_TOLERANCE
    schedule: ScheduleSettings = DEFAULT_SCHEDULE
    recruitment: RecruitmentTarget = field(default_factory=RecruitmentTarget)

    def __post_init__(self) -> None:
        if not 0 < self.confidence < 1:
            raise ValueError("AnalysisSettings.confidence must be in (0, 1)")
        if self.horizon_months < 1:
            raise ValueError("AnalysisSettings.horizon_months must be ≥ 1")
        for visit in (*self.response_visits, *self.model_visits):
            if visit not in VISIT_CODES:
                raise ValueError(f"AnalysisSettings: unknown visit {visit!r}")
        if BASELINE in self.response_visits:
            raise ValueError("AnalysisSettings.response_visits: baseline is the reference")
        if not self.model_visits or self.model_visits[0] != BASELINE:
            raise ValueError("AnalysisSettings.model_visits must start with the baseline")
        for variable in self.response_variables:
            if variable not in VARIABLES:
                raise ValueError(f"AnalysisSettings: unknown variable {variable!r}")
        if not 0 <= self.criss_threshold <= 1:
            raise ValueError("AnalysisSettings.criss_threshold must be in [0, 1]")
        if self.survival_origin not in ("infusion", "inclusion"):
            raise ValueError("AnalysisSettings.survival_origin: 'infusion' or 'inclusion'")


DEFAULT_SETTINGS = AnalysisSettings()
