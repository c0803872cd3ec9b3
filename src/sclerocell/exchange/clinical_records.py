"""Plain typed records of the trial's clinical data, the input of the SDTM and FHIR writers.

The Django shell (``sclerocell.web.exports.standards``) reads the database into these records;
the writers (``sdtm``, ``define_xml``, ``fhir``) never see a model. Tests build them by hand.

Identity-free like the database: a subject is a study code, a site, a year and month of birth,
a sex and dates. Values are already restricted to what the user may see and to the cut-off.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

Sex = Literal["F", "M"]
EndCause = Literal["completed", "withdrawal", "lost_to_follow_up", "death"]


@dataclass(frozen=True)
class StudySite:
    number: int  # 1 → site "01"
    name: str
    city: str = ""

    @property
    def code(self) -> str:
        return f"{self.number:02d}"


@dataclass(frozen=True)
class Study:
    """The study as the registries know it."""

    study_id: str = "MSC-SSC"
    nct_id: str = "NCT02213705"
    title: str = (
        "Phase I-II trial of allogeneic bone-marrow mesenchymal stromal cells in severe "
        "refractory systemic sclerosis"
    )
    acronym: str = "MSC-SSc"
    phase: Literal["phase-1-phase-2"] = "phase-1-phase-2"
    status: Literal["active", "completed", "closed-to-accrual"] = "active"
    protocol_version: str = ""
    sites: tuple[StudySite, ...] = ()
    #: The namespace of the study's local code systems and identifiers (FHIR ``system`` URLs).
    namespace: str = "https://sclerocell.example.org/fhir"


@dataclass(frozen=True)
class DoseLevel:
    level: int
    target_cells_per_kg: float

    @property
    def arm_code(self) -> str:
        return f"DL{self.level}"

    @property
    def arm(self) -> str:
        return f"Dose level {self.level}: MSC {scientific(self.target_cells_per_kg)} cells/kg"


def scientific(value: float) -> str:
    """``1.5 x 10^6`` for 1 500 000 (ASCII, for datasets and labels)."""
    if value <= 0:
        return f"{value:g}"
    exponent = len(str(int(value))) - 1 if value >= 1 else 0
    mantissa = value / 10**exponent
    return f"{mantissa:g} x 10^{exponent}" if exponent else f"{value:g}"


@dataclass(frozen=True)
class Subject:
    """A recipient of the trial (donors are associated persons, not exported as subjects)."""

    code: str
    site: StudySite
    sex: Sex
    birth_year: int
    birth_month: int | None = None
    screening_date: datetime.date | None = None
    consent_date: datetime.date | None = None
    eligibility_date: datetime.date | None = None
    inclusion_date: datetime.date | None = None
    infusion_date: datetime.date | None = None
    end_date: datetime.date | None = None
    end_cause: EndCause | None = None
    dose: DoseLevel | None = None
    death_date: datetime.date | None = None

    def age_at(self, day: datetime.date) -> int:
        """Whole years on ``day``; the day of birth unknown, the 1st of the month is assumed."""
        month = self.birth_month or 1
        return day.year - self.birth_year - (1 if day.month < month else 0)


@dataclass(frozen=True)
class Exposure:
    """The subject's one MSC infusion."""

    subject: str
    started_at: datetime.datetime
    ended_at: datetime.datetime
    dose_cells_per_kg: float
    cells_infused: int
    volume_ml: float
    weight_kg: float
    batch: str
    target_cells_per_kg: float | None = None


Relation = Literal[
    "certain",
    "probable",
    "possible",
    "unlikely",
    "conditional",
    "unassessable",
    "not_related",
    "not_applicable",
]
Outcome = Literal["recovered", "recovering", "not_recovered", "sequelae", "fatal", "unknown"]


@dataclass(frozen=True)
class AdverseEvent:
    subject: str
    number: int
    term: str
    grade: int
    onset_date: datetime.date
    ctcae_version: str = "5.0"
    meddra_code: str = ""
    soc: str = ""
    end_date: datetime.date | None = None
    outcome: Outcome = "unknown"
    relation_to_msc: Relation = "not_applicable"
    relation_to_procedure: Relation = "not_applicable"
    #: Seriousness criteria ticked (death, life_threatening, hospitalisation, disability,
    #: congenital_anomaly, medically_important); empty: not serious.
    seriousness: frozenset[str] = frozenset()
    action_taken: str = "not_applicable"
    expectedness: str = ""

    @property
    def serious(self) -> bool:
        return bool(self.seriousness)


FindingKind = Literal["vital", "lab", "function", "skin"]


@dataclass(frozen=True)
class Finding:
    """One measured value: a vital sign, a laboratory result, a lung-function or skin score.

    ``test`` is the study's own code (``systolic_bp``, ``creatinine``, ``fvc_pct_pred``,
    ``mrss_total`` …); the writers map it to SDTM test codes, LOINC and UCUM.
    """

    subject: str
    kind: FindingKind
    test: str
    value: float
    unit: str
    date: datetime.date
    visit: str = ""  # "SCR", "BL", "D10" … "M24", "UNS", "INF" (infusion day)
    #: As entered (the unit of the lab report); ``value``/``unit`` are the standard ones.
    original_value: float | None = None
    original_unit: str = ""
    #: The normal range in the standard unit, and as the report gave it.
    low: float | None = None
    high: float | None = None
    original_low: float | None = None
    original_high: float | None = None
    timepoint: str = ""  # "before", "during", "after" the infusion


@dataclass(frozen=True)
class QuestionnaireItem:
    subject: str
    questionnaire: str  # "HAQ-DI"
    item: str  # the item's id (``dress``, ``aids_dressing`` …)
    label: str
    score: int | None
    date: datetime.date
    visit: str = ""
    category: str = ""


@dataclass(frozen=True)
class MedicalHistory:
    subject: str
    term: str
    code: str  # the study's finding code
    category: str = "GENERAL"
    present: bool = True
    date: datetime.date | None = None  # when recorded, or when it started if known
    start_date: datetime.date | None = None


@dataclass(frozen=True)
class ClinicalData:
    """Everything one export writes."""

    study: Study
    subjects: tuple[Subject, ...]
    exposures: tuple[Exposure, ...] = ()
    adverse_events: tuple[AdverseEvent, ...] = ()
    findings: tuple[Finding, ...] = ()
    questionnaires: tuple[QuestionnaireItem, ...] = ()
    history: tuple[MedicalHistory, ...] = ()
    #: Visit code → (visit number, visit name): the order of the schedule.
    visits: tuple[tuple[str, float, str], ...] = field(
        default=(
            ("SCR", 1.0, "SCREENING"),
            ("BL", 2.0, "BASELINE"),
            ("INF", 3.0, "INFUSION"),
            ("D10", 4.0, "DAY 10"),
            ("M1", 5.0, "MONTH 1"),
            ("M3", 6.0, "MONTH 3"),
            ("M6", 7.0, "MONTH 6"),
            ("M9", 8.0, "MONTH 9"),
            ("M12", 9.0, "MONTH 12"),
            ("M18", 10.0, "MONTH 18"),
            ("M24", 11.0, "MONTH 24"),
            ("UNS", 99.0, "UNSCHEDULED"),
        )
    )

    def haq_di(self) -> tuple[tuple[str, str, datetime.date, float], ...]:
        """The HAQ-DI index of each (subject, visit, date) with enough categories answered."""
        from sclerocell.clinical import haq

        grouped: dict[tuple[str, str, datetime.date], list[QuestionnaireItem]] = {}
        for item in self.questionnaires:
            if item.questionnaire == "HAQ-DI":
                grouped.setdefault((item.subject, item.visit, item.date), []).append(item)
        indexes: list[tuple[str, str, datetime.date, float]] = []
        for (subject, visit, day), items in grouped.items():
            answers = {i.item: i.score for i in items if i.item in haq.ITEMS}
            aids = [
                i.item.removeprefix("aids_")
                for i in items
                if i.item.startswith("aids_") and i.score
            ]
            result = haq.haq_di(answers, aids)
            if result.index is not None:
                indexes.append((subject, visit, day, round(result.index, 3)))
        return tuple(indexes)

    def subject(self, code: str) -> Subject:
        for subject in self.subjects:
            if subject.code == code:
                return subject
        raise KeyError(code)
