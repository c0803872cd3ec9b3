"""Classify an adverse event by its onset relative to the infusion, and flag what matters.

Periods (settings; the infusion day is D0):

- ``before_infusion``: onset before the infusion day (recorded, not treatment-emergent);
- ``immediate``: D0 to D10 inclusive (the MSC-SLE convention: immediate tolerance is assessed
  during the infusion and for 10 days after);
- ``early``: after D10 up to 3 calendar months after the infusion inclusive (same month
  arithmetic as the visit schedule);
- ``late``: beyond 3 months — the secondary objective "tolerance beyond 3 months, notably no
  malignancy".

Flags: ``severe`` for a CTCAE grade ≥ 3 (the registry's primary outcome; an infusion counts as
not tolerated for any grade ≥ 3 toxicity); ``malignancy`` when the event is coded in the MedDRA
SOC "Neoplasms benign, malignant and unspecified (incl cysts and polyps)" (code 10029104) or the
investigator flags it. The SOC also holds benign neoplasms and cysts: the flag asks for review,
it does not diagnose cancer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sclerocell.criteria.windows import add_months
from sclerocell.followup.messages import FollowUpInputError, Message, calendar_date

NEOPLASMS_SOC = "Neoplasms benign, malignant and unspecified (incl cysts and polyps)"
NEOPLASMS_SOC_CODE = "10029104"


class OnsetPeriod(StrEnum):
    BEFORE_INFUSION = "before_infusion"
    IMMEDIATE = "immediate"
    EARLY = "early"
    LATE = "late"


PERIOD_NAMES: dict[OnsetPeriod, Message] = {
    OnsetPeriod.BEFORE_INFUSION: Message("avant la perfusion", "before the infusion"),
    OnsetPeriod.IMMEDIATE: Message("tolérance immédiate", "immediate tolerance"),
    OnsetPeriod.EARLY: Message("précoce", "early"),
    OnsetPeriod.LATE: Message("tardif", "late"),
}


@dataclass(frozen=True, slots=True)
class ToleranceSettings:
    version: str = "v1 (MSC-SLE conventions; synopsis: beyond 3 months)"
    #: Last day (from the infusion day, D0) of the immediate period, inclusive.
    immediate_last_day: int = 10
    #: The early period ends this many calendar months after the infusion, inclusive.
    early_months: int = 3
    severe_grade: int = 3

    def __post_init__(self) -> None:
        if self.immediate_last_day < 0 or self.early_months < 1:
            raise ValueError("ToleranceSettings: periods must be positive")
        if not 1 <= self.severe_grade <= 5:
            raise ValueError("ToleranceSettings.severe_grade must be a CTCAE grade 1–5")


DEFAULT_TOLERANCE = ToleranceSettings()


@dataclass(frozen=True, slots=True)
class EventClassification:
    period: OnsetPeriod
    #: Days from the infusion day (D0) to the onset; negative before the infusion.
    day: int
    grade: int
    severe: bool
    malignancy: bool
    message: Message


def _normalised(text: str) -> str:
    return " ".join(text.casefold().split())


def is_neoplasm_soc(soc: str | None) -> bool:
    """True for the MedDRA Neoplasms SOC, by name (case and spacing ignored) or by code."""
    if soc is None:
        return False
    return _normalised(soc) in (_normalised(NEOPLASMS_SOC), NEOPLASMS_SOC_CODE)


def classify_event(
    infusion_date: date,
    onset_date: date,
    grade: int,
    *,
    soc: str | None = None,
    malignancy: bool = False,
    settings: ToleranceSettings = DEFAULT_TOLERANCE,
) -> EventClassification:
    """Onset period, grade ≥ 3 flag and malignancy flag of one adverse event."""
    infusion = calendar_date(infusion_date, "infusion_date")
    onset = calendar_date(onset_date, "onset_date")
    if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 5:
        raise FollowUpInputError(
            Message("Le grade CTCAE doit être 1 à 5.", "The CTCAE grade must be 1 to 5."),
            field="grade",
        )
    day = (onset - infusion).days
    early_end = add_months(infusion, settings.early_months)
    if day < 0:
        period = OnsetPeriod.BEFORE_INFUSION
    elif day <= settings.immediate_last_day:
        period = OnsetPeriod.IMMEDIATE
    elif onset <= early_end:
        period = OnsetPeriod.EARLY
    else:
        period = OnsetPeriod.LATE
    severe = grade >= settings.severe_grade
    neoplasm = malignancy or is_neoplasm_soc(soc)
    name = PERIOD_NAMES[period]
    parts_fr = [f"J{day} : {name.fr}, grade {grade}"]
    parts_en = [f"D{day}: {name.en}, grade {grade}"]
    if severe:
        parts_fr.append(f"toxicité de grade ≥ {settings.severe_grade}")
        parts_en.append(f"grade ≥ {settings.severe_grade} toxicity")
    if neoplasm:
        parts_fr.append("néoplasie à examiner")
        parts_en.append("neoplasm to review")
    return EventClassification(
        period,
        day,
        grade,
        severe,
        neoplasm,
        Message("; ".join(parts_fr) + ".", "; ".join(parts_en) + "."),
    )
