"""SDTM tabulation datasets (SDTMIG 3.2 conventions) from the trial's clinical records.

Domains DM, DS, EX, AE, VS, LB, QS and MH. Each dataset is declared once (:class:`DomainSpec`:
variables with their labels, types, origins and code lists); the same declaration writes the SAS
transport file (XPT version 5, with ``pyreadstat``) and describes it in define.xml
(:mod:`sclerocell.exchange.define_xml`).

Conventions: ``USUBJID`` is ``STUDYID-<study code>``; dates are ISO 8601 text; study days
(``--DY``) count from ``RFSTDTC``, the infusion day, which is day 1 (the day before is day -1:
there is no day 0); text is ASCII (µ → u, 10⁹ → 10^9) and at most 200 characters.
"""

from __future__ import annotations

import datetime
import math
import pathlib
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from sclerocell.clinical import haq

from .clinical_records import (
    ClinicalData,
    Exposure,
    Finding,
    Subject,
)

DataType = Literal["text", "integer", "float", "date", "datetime"]
Origin = Literal["CRF", "Derived", "Assigned", "Protocol"]
Value = str | float | None
Row = dict[str, Value]

MAX_NAME = 8
MAX_LABEL = 40
MAX_TEXT = 200
SDTMIG_VERSION = "3.2"


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    type: DataType = "text"
    origin: Origin = "CRF"
    codelist: str = ""
    mandatory: bool = False
    key: int = 0  # position in the dataset's key (0: not a key)

    def __post_init__(self) -> None:
        if len(self.name) > MAX_NAME or not self.name.isupper():
            raise ValueError(f"{self.name}: SDTM names are upper case, at most 8 characters")
        if len(self.label) > MAX_LABEL:
            raise ValueError(f"{self.name}: label longer than 40 characters")

    @property
    def numeric(self) -> bool:
        return self.type in ("integer", "float")


@dataclass(frozen=True)
class DomainSpec:
    name: str
    label: str
    cls: str  # def:Class
    structure: str  # def:Structure
    variables: tuple[Variable, ...]

    def __post_init__(self) -> None:
        names = [v.name for v in self.variables]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: duplicate variables")

    @property
    def filename(self) -> str:
        return f"{self.name.lower()}.xpt"


@dataclass(frozen=True)
class Dataset:
    spec: DomainSpec
    rows: tuple[Row, ...]

    def column(self, name: str) -> list[Value]:
        return [row.get(name) for row in self.rows]

    def length(self, variable: Variable) -> int:
        """The define.xml length: longest text (at least 1), or digits of the widest number."""
        values = [v for v in self.column(variable.name) if v not in (None, "")]
        if not variable.numeric:
            return max((len(str(v)) for v in values), default=1)
        return max((len(_number_text(v)) for v in values if isinstance(v, float)), default=1)

    def significant_digits(self, variable: Variable) -> int:
        decimals = [len(_number_text(v).partition(".")[2]) for v in self.column(variable.name) if v]
        return max(decimals, default=0)


def _number_text(value: Value) -> str:
    if not isinstance(value, float):
        return ""
    text = f"{value:.10g}"
    return text.lstrip("-")


# --- Controlled terminology (CDISC CT where one exists; else the study's, marked "sponsor") ---

#: Code list OID suffix → (name, ((coded value, decode), …), CDISC code list or "").
CODELISTS: dict[str, tuple[str, tuple[tuple[str, str], ...], str]] = {
    "SEX": ("Sex", (("F", "Female"), ("M", "Male")), "C66731"),
    "NY": ("No Yes Response", (("N", "No"), ("Y", "Yes")), "C66742"),
    "AGEU": ("Age Unit", (("YEARS", "Years"),), "C66781"),
    "ARMCD": ("Arm Code", (), ""),
    "AETOXGR": (
        "CTCAE Grade",
        (
            ("1", "Mild"),
            ("2", "Moderate"),
            ("3", "Severe"),
            ("4", "Life-threatening"),
            ("5", "Death"),
        ),
        "",
    ),
    "OUT": (
        "Outcome of Event",
        (
            ("RECOVERED/RESOLVED", "Recovered/resolved"),
            ("RECOVERING/RESOLVING", "Recovering/resolving"),
            ("NOT RECOVERED/NOT RESOLVED", "Not recovered/not resolved"),
            ("RECOVERED/RESOLVED WITH SEQUELAE", "Recovered/resolved with sequelae"),
            ("FATAL", "Fatal"),
            ("UNKNOWN", "Unknown"),
        ),
        "C66768",
    ),
    "ACN": (
        "Action Taken with Study Treatment",
        (
            ("NOT APPLICABLE", "Not applicable"),
            ("DOSE NOT CHANGED", "Dose not changed"),
            ("DOSE RATE REDUCED", "Dose rate reduced"),
            ("DRUG INTERRUPTED", "Drug interrupted"),
            ("DRUG WITHDRAWN", "Drug withdrawn"),
        ),
        "C66767",
    ),
    "AEREL": (
        "Causality (WHO-UMC, sponsor)",
        (
            ("CERTAIN", "Certain"),
            ("PROBABLE", "Probable / likely"),
            ("POSSIBLE", "Possible"),
            ("UNLIKELY", "Unlikely"),
            ("CONDITIONAL", "Conditional / unclassified"),
            ("UNASSESSABLE", "Unassessable / unclassifiable"),
            ("NOT RELATED", "Not related"),
            ("NOT APPLICABLE", "Not applicable"),
        ),
        "",
    ),
    "DSCAT": (
        "Category for Disposition Event",
        (("DISPOSITION EVENT", "Disposition event"), ("PROTOCOL MILESTONE", "Protocol milestone")),
        "C74558",
    ),
    "DSDECOD": (
        "Disposition event and milestones",
        (
            ("INFORMED CONSENT OBTAINED", "Informed consent obtained"),
            ("ELIGIBILITY CRITERIA MET", "Eligibility criteria met"),
            ("ENROLLED", "Included in the study (sponsor)"),
            ("COMPLETED", "Completed"),
            ("WITHDRAWAL BY SUBJECT", "Withdrawal by subject"),
            ("LOST TO FOLLOW-UP", "Lost to follow-up"),
            ("DEATH", "Death"),
        ),
        "",
    ),
    "ROUTE": ("Route of Administration", (("INTRAVENOUS", "Intravenous"),), "C66729"),
    "FRM": ("Pharmaceutical Dosage Form", (("SUSPENSION", "Suspension"),), "C66726"),
    "VSTESTCD": ("Vital Signs Test Code", (), "C66741"),
    "LBTESTCD": ("Laboratory Test Code", (), "C65047"),
    "QSTESTCD": ("HAQ-DI Test Code (sponsor)", (), ""),
    "MHCAT": (
        "Medical History Category (sponsor)",
        (
            ("PRIMARY DIAGNOSIS", "Primary diagnosis"),
            ("SSC CLASSIFICATION", "Systemic sclerosis classification items"),
            ("ORGAN INVOLVEMENT", "Lungs, heart and kidneys"),
            ("GENERAL", "History, infections, exposures"),
        ),
        "",
    ),
}

#: Vital signs: study test → (VSTESTCD, VSTEST).
VS_TESTS: dict[str, tuple[str, str]] = {
    "systolic_bp": ("SYSBP", "Systolic Blood Pressure"),
    "diastolic_bp": ("DIASBP", "Diastolic Blood Pressure"),
    "heart_rate": ("PULSE", "Pulse Rate"),
    "temperature": ("TEMP", "Temperature"),
    "spo2": ("OXYSAT", "Oxygen Saturation"),
    "weight": ("WEIGHT", "Weight"),
    "height": ("HEIGHT", "Height"),
}

#: Laboratory: study analyte → (LBTESTCD, LBTEST, LBCAT).
LB_TESTS: dict[str, tuple[str, str, str]] = {
    "creatinine": ("CREAT", "Creatinine", "CHEMISTRY"),
    "bilirubin": ("BILI", "Bilirubin", "CHEMISTRY"),
    "alt": ("ALT", "Alanine Aminotransferase", "CHEMISTRY"),
    "ast": ("AST", "Aspartate Aminotransferase", "CHEMISTRY"),
    "crp": ("CRP", "C Reactive Protein", "CHEMISTRY"),
    "haemoglobin": ("HGB", "Hemoglobin", "HEMATOLOGY"),
    "leukocytes": ("WBC", "Leukocytes", "HEMATOLOGY"),
    "neutrophils": ("NEUT", "Neutrophils", "HEMATOLOGY"),
    "lymphocytes": ("LYM", "Lymphocytes", "HEMATOLOGY"),
    "eosinophils": ("EOS", "Eosinophils", "HEMATOLOGY"),
    "platelets": ("PLAT", "Platelets", "HEMATOLOGY"),
    "cd4_lymphocytes": ("CD4", "CD4 Cells", "IMMUNOLOGY"),
}

QS_CATEGORY = "HAQ-DI"
#: The index, derived by ``sclerocell.clinical.haq`` from the items and the aids.
HAQ_INDEX = ("HAQDI", "HAQ-DI Disability Index")

DS_END: dict[str, str] = {
    "completed": "COMPLETED",
    "withdrawal": "WITHDRAWAL BY SUBJECT",
    "lost_to_follow_up": "LOST TO FOLLOW-UP",
    "death": "DEATH",
}
AE_OUTCOME: dict[str, str] = {
    "recovered": "RECOVERED/RESOLVED",
    "recovering": "RECOVERING/RESOLVING",
    "not_recovered": "NOT RECOVERED/NOT RESOLVED",
    "sequelae": "RECOVERED/RESOLVED WITH SEQUELAE",
    "fatal": "FATAL",
    "unknown": "UNKNOWN",
}
AE_ACTION: dict[str, str] = {
    "not_applicable": "NOT APPLICABLE",
    "none": "DOSE NOT CHANGED",
    "slowed": "DOSE RATE REDUCED",
    "interrupted": "DRUG INTERRUPTED",
    "stopped": "DRUG WITHDRAWN",
}
SERIOUSNESS_FLAGS: dict[str, str] = {
    "death": "AESDTH",
    "life_threatening": "AESLIFE",
    "hospitalisation": "AESHOSP",
    "disability": "AESDISAB",
    "congenital_anomaly": "AESCONG",
    "medically_important": "AESMIE",
}
EXTRT = "ALLOGENEIC BONE MARROW MESENCHYMAL STROMAL CELLS"


def haq_test_code(item: str) -> str:
    """``HAQ0101`` for the first item of the first category; ``HAQ01AD`` for its aids."""
    for c, category in enumerate(haq.CATEGORIES, start=1):
        if item == f"aids_{category.id}":
            return f"HAQ{c:02d}AD"
        for i, entry in enumerate(category.items, start=1):
            if entry.id == item:
                return f"HAQ{c:02d}{i:02d}"
    return item.upper().replace("_", "")[:MAX_NAME]


# --- Helpers -----------------------------------------------------------------------------------

_ASCII = {
    "µ": "u",
    "μ": "u",
    "⁹": "^9",
    "⁶": "^6",
    "³": "3",
    "²": "2",
    "°": "deg ",
    "’": "'",
    "–": "-",
    "—": "-",
    "≥": ">=",
    "≤": "<=",
    "×": "x",
}


def ascii_text(text: str) -> str:
    """Plain ASCII, at most 200 characters (the XPT version 5 limit), no trailing blanks
    (the transport format pads text with blanks, so a reader cannot tell them apart)."""
    for char, replacement in _ASCII.items():
        text = text.replace(char, replacement)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return plain[:MAX_TEXT].rstrip()


def iso(day: datetime.date | datetime.datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        return day.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M")
    return day.isoformat()


def study_day(day: datetime.date | None, reference: datetime.date | None) -> float | None:
    """SDTM study day: the reference day is 1, the day before it -1 (no day 0)."""
    if day is None or reference is None:
        return None
    delta = (day - reference).days
    return float(delta + 1 if delta >= 0 else delta)


def _num(value: float | int | None) -> float | None:
    return None if value is None else float(value)


def _yn(flag: bool) -> str:
    return "Y" if flag else "N"


def _result_text(value: float) -> str:
    return f"{value:.10g}"


# --- Domains -----------------------------------------------------------------------------------


def _v(
    name: str,
    label: str,
    type_: DataType = "text",
    *,
    origin: Origin = "CRF",
    codelist: str = "",
    mandatory: bool = False,
    key: int = 0,
) -> Variable:
    return Variable(name, label, type_, origin, codelist, mandatory, key)


_IDS = (
    _v("STUDYID", "Study Identifier", origin="Protocol", mandatory=True, key=1),
    _v("DOMAIN", "Domain Abbreviation", origin="Assigned", mandatory=True),
    _v("USUBJID", "Unique Subject Identifier", origin="Derived", mandatory=True, key=2),
)


def _seq(prefix: str) -> Variable:
    # With STUDYID and USUBJID, the sequence number identifies a record (the dataset's key).
    return _v(f"{prefix}SEQ", "Sequence Number", "integer", origin="Derived", mandatory=True, key=3)


def _visit() -> tuple[Variable, ...]:
    return (
        _v("VISITNUM", "Visit Number", "float", origin="Assigned"),
        _v("VISIT", "Visit Name", origin="Assigned"),
    )


DM = DomainSpec(
    "DM",
    "Demographics",
    "SPECIAL PURPOSE",
    "One record per subject",
    (
        *_IDS,
        _v("SUBJID", "Subject Identifier for the Study", mandatory=True),
        _v("RFSTDTC", "Subject Reference Start Date/Time", "date", origin="Derived"),
        _v("RFENDTC", "Subject Reference End Date/Time", "date", origin="Derived"),
        _v("RFXSTDTC", "Date/Time of First Study Treatment", "datetime", origin="Derived"),
        _v("RFXENDTC", "Date/Time of Last Study Treatment", "datetime", origin="Derived"),
        _v("RFICDTC", "Date/Time of Informed Consent", "date"),
        _v("RFPENDTC", "Date/Time of End of Participation", "date"),
        _v("DTHDTC", "Date/Time of Death", "date"),
        _v("DTHFL", "Subject Death Flag", codelist="NY", origin="Derived"),
        _v("SITEID", "Study Site Identifier", mandatory=True, origin="Assigned"),
        _v("BRTHDTC", "Date/Time of Birth", "date"),
        _v("AGE", "Age", "integer", origin="Derived"),
        _v("AGEU", "Age Units", codelist="AGEU", origin="Assigned"),
        _v("SEX", "Sex", codelist="SEX", mandatory=True),
        _v("ARMCD", "Planned Arm Code", codelist="ARMCD", mandatory=True, origin="Assigned"),
        _v("ARM", "Description of Planned Arm", mandatory=True, origin="Assigned"),
        _v("ACTARMCD", "Actual Arm Code", codelist="ARMCD", mandatory=True, origin="Derived"),
        _v("ACTARM", "Description of Actual Arm", mandatory=True, origin="Derived"),
        _v("COUNTRY", "Country", mandatory=True, origin="Assigned"),
    ),
)

DS = DomainSpec(
    "DS",
    "Disposition",
    "EVENTS",
    "One record per disposition status or protocol milestone per subject",
    (
        *_IDS,
        _seq("DS"),
        _v("DSTERM", "Reported Term for the Disposition Event", mandatory=True),
        _v("DSDECOD", "Standardized Disposition Term", codelist="DSDECOD", mandatory=True),
        _v("DSCAT", "Category for Disposition Event", codelist="DSCAT"),
        _v("DSSTDTC", "Start Date/Time of Disposition Event", "date"),
        _v("DSSTDY", "Study Day of Start of Disposition Event", "integer", origin="Derived"),
    ),
)

EX = DomainSpec(
    "EX",
    "Exposure",
    "INTERVENTIONS",
    "One record per constant dosing interval per subject",
    (
        *_IDS,
        _seq("EX"),
        _v("EXTRT", "Name of Treatment", mandatory=True, origin="Protocol"),
        _v("EXDOSE", "Dose", "float", origin="Derived"),
        _v("EXDOSU", "Dose Units", origin="Assigned"),
        _v("EXDOSFRM", "Dose Form", codelist="FRM", origin="Assigned"),
        _v("EXROUTE", "Route of Administration", codelist="ROUTE", origin="Assigned"),
        _v("EXLOT", "Lot Number"),
        _v("EXSTDTC", "Start Date/Time of Treatment", "datetime"),
        _v("EXENDTC", "End Date/Time of Treatment", "datetime"),
        _v("EXSTDY", "Study Day of Start of Treatment", "integer", origin="Derived"),
        _v("EXENDY", "Study Day of End of Treatment", "integer", origin="Derived"),
        *_visit(),
    ),
)

AE = DomainSpec(
    "AE",
    "Adverse Events",
    "EVENTS",
    "One record per adverse event per subject",
    (
        *_IDS,
        _seq("AE"),
        _v("AESPID", "Sponsor-Defined Identifier"),
        _v("AETERM", "Reported Term for the Adverse Event", mandatory=True),
        _v("AELLT", "Lowest Level Term"),
        _v("AELLTCD", "Lowest Level Term Code", "integer"),
        _v("AEDECOD", "Dictionary-Derived Term", mandatory=True),
        _v("AEBODSYS", "Body System or Organ Class"),
        _v("AESOC", "Primary System Organ Class"),
        _v("AETOXGR", "Standard Toxicity Grade", codelist="AETOXGR"),
        _v("AESER", "Serious Event", codelist="NY"),
        _v("AESDTH", "Results in Death", codelist="NY"),
        _v("AESLIFE", "Is Life Threatening", codelist="NY"),
        _v("AESHOSP", "Requires or Prolongs Hospitalization", codelist="NY"),
        _v("AESDISAB", "Persist or Signif Disability/Incapacity", codelist="NY"),
        _v("AESCONG", "Congenital Anomaly or Birth Defect", codelist="NY"),
        _v("AESMIE", "Other Medically Important Serious Event", codelist="NY"),
        _v("AEREL", "Causality", codelist="AEREL"),
        _v("AERELNST", "Relationship to Non-Study Treatment"),
        _v("AEACN", "Action Taken with Study Treatment", codelist="ACN"),
        _v("AEOUT", "Outcome of Adverse Event", codelist="OUT"),
        _v("AESTDTC", "Start Date/Time of Adverse Event", "date"),
        _v("AEENDTC", "End Date/Time of Adverse Event", "date"),
        _v("AESTDY", "Study Day of Start of Adverse Event", "integer", origin="Derived"),
        _v("AEENDY", "Study Day of End of Adverse Event", "integer", origin="Derived"),
    ),
)


def _findings(prefix: str, *, ranges: bool = False, category: bool = False) -> DomainSpec:
    p = prefix
    testcd_list = {"VS": "VSTESTCD", "LB": "LBTESTCD", "QS": "QSTESTCD"}[p]
    names = {
        "VS": ("Vital Signs", "Vital Signs Test Short Name", "Vital Signs Test Name"),
        "LB": (
            "Laboratory Test Results",
            "Lab Test or Examination Short Name",
            "Lab Test or Examination Name",
        ),
        "QS": ("Questionnaires", "Question Short Name", "Question Name"),
    }[p]
    variables: list[Variable] = [
        *_IDS,
        _seq(p),
        _v(f"{p}TESTCD", names[1], codelist=testcd_list, mandatory=True, origin="Assigned"),
        _v(f"{p}TEST", names[2], mandatory=True, origin="Assigned"),
    ]
    if category:
        cat, scat = {
            "LB": ("Category for Lab Test", "Subcategory for Lab Test"),
            "QS": ("Category of Question", "Subcategory for Question"),
        }[p]
        variables += [_v(f"{p}CAT", cat), _v(f"{p}SCAT", scat)]
    variables += [
        _v(f"{p}ORRES", "Result or Finding in Original Units"),
        _v(f"{p}ORRESU", "Original Units"),
    ]
    if ranges:
        variables += [
            _v(f"{p}ORNRLO", "Reference Range Lower Limit in Orig Unit"),
            _v(f"{p}ORNRHI", "Reference Range Upper Limit in Orig Unit"),
        ]
    variables += [
        _v(f"{p}STRESC", "Character Result/Finding in Std Format", origin="Derived"),
        _v(f"{p}STRESN", "Numeric Result/Finding in Standard Units", "float", origin="Derived"),
        _v(f"{p}STRESU", "Standard Units", origin="Derived"),
    ]
    if ranges:
        variables += [
            _v(f"{p}STNRLO", "Reference Range Lower Limit-Std Units", "float", origin="Derived"),
            _v(f"{p}STNRHI", "Reference Range Upper Limit-Std Units", "float", origin="Derived"),
            _v(f"{p}NRIND", "Reference Range Indicator", origin="Derived"),
        ]
    if p == "VS":
        variables.append(_v("VSTPT", "Planned Time Point Name", origin="Assigned"))
    variables += [
        *_visit(),
        _v(f"{p}DTC", "Date/Time of Collection" if p != "QS" else "Date/Time of Finding", "date"),
        _v(f"{p}DY", "Study Day of Visit/Collection/Exam", "integer", origin="Derived"),
    ]
    structure = {
        "VS": "One record per vital sign measurement per time point per visit per subject",
        "LB": "One record per lab test per time point per visit per subject",
        "QS": "One record per questionnaire per question per time point per visit per subject",
    }[p]
    return DomainSpec(p, names[0], "FINDINGS", structure, tuple(variables))


VS = _findings("VS")
LB = _findings("LB", ranges=True, category=True)
QS = _findings("QS", category=True)

MH = DomainSpec(
    "MH",
    "Medical History",
    "EVENTS",
    "One record per medical history event per subject",
    (
        *_IDS,
        _seq("MH"),
        _v("MHSPID", "Sponsor-Defined Identifier"),
        _v("MHTERM", "Reported Term for the Medical History", mandatory=True),
        _v("MHCAT", "Category for Medical History", codelist="MHCAT"),
        _v("MHPRESP", "Medical History Event Pre-Specified", codelist="NY", origin="Assigned"),
        _v("MHOCCUR", "Medical History Occurrence", codelist="NY"),
        _v("MHDTC", "Date/Time of History Collection", "date"),
        _v("MHSTDTC", "Start Date/Time of Medical History Event", "date"),
        _v("MHDY", "Study Day of History Collection", "integer", origin="Derived"),
    ),
)

DOMAINS: tuple[DomainSpec, ...] = (DM, DS, EX, AE, VS, LB, QS, MH)


# --- Rows --------------------------------------------------------------------------------------


class _Context:
    """Per-export lookups: USUBJID, the reference day and the visit numbers."""

    def __init__(self, data: ClinicalData) -> None:
        self.data = data
        self.study_id = data.study.study_id
        self.subjects = {s.code: s for s in data.subjects}
        self.visits = {code: (number, name) for code, number, name in data.visits}

    def usubjid(self, code: str) -> str:
        return f"{self.study_id}-{code}"

    def reference(self, code: str) -> datetime.date | None:
        subject = self.subjects.get(code)
        return subject.infusion_date if subject else None

    def ids(self, domain: str, code: str) -> Row:
        return {"STUDYID": self.study_id, "DOMAIN": domain, "USUBJID": self.usubjid(code)}

    def visit(self, code: str) -> Row:
        if not code:
            return {"VISITNUM": None, "VISIT": ""}
        number, name = self.visits.get(code, (None, code))
        return {"VISITNUM": number, "VISIT": name}


def _sequenced(
    prefix: str, rows: Iterable[Row], order: Callable[[Row], tuple[object, ...]]
) -> tuple[Row, ...]:
    ordered = sorted(rows, key=order)
    counters: dict[Value, int] = {}
    for row in ordered:
        counters[row["USUBJID"]] = counters.get(row["USUBJID"], 0) + 1
        row[f"{prefix}SEQ"] = float(counters[row["USUBJID"]])
    return tuple(ordered)


def _by_subject_and(*names: str) -> Callable[[Row], tuple[object, ...]]:
    def key(row: Row) -> tuple[object, ...]:
        return (str(row["USUBJID"]), *(_sortable(row.get(n)) for n in names))

    return key


def _sortable(value: Value) -> tuple[int, str, float]:
    if value is None or value == "":
        return (1, "", 0.0)
    if isinstance(value, float):
        return (0, "", value)
    return (0, value, 0.0)


def dm_rows(ctx: _Context, exposures: Mapping[str, Exposure]) -> tuple[Row, ...]:
    rows: list[Row] = []
    for s in ctx.data.subjects:
        exposure = exposures.get(s.code)
        arm_code, arm = (
            ("NOTASSGN", "Not Assigned") if s.dose is None else (s.dose.arm_code, s.dose.arm)
        )
        actual = (arm_code, arm) if s.infusion_date and s.dose else ("NOTTRT", "Not Treated")
        rows.append(
            {
                **ctx.ids("DM", s.code),
                "SUBJID": s.code,
                "RFSTDTC": iso(s.infusion_date),
                "RFENDTC": iso(s.end_date),
                "RFXSTDTC": iso(exposure.started_at) if exposure else "",
                "RFXENDTC": iso(exposure.ended_at) if exposure else "",
                "RFICDTC": iso(s.consent_date),
                "RFPENDTC": iso(s.end_date),
                "DTHDTC": iso(_death_date(s)),
                "DTHFL": "Y" if _death_date(s) else "",
                "SITEID": s.site.code,
                "BRTHDTC": str(s.birth_year),
                "AGE": _age(s),
                "AGEU": "YEARS" if _age(s) is not None else "",
                "SEX": s.sex,
                "ARMCD": arm_code,
                "ARM": arm,
                "ACTARMCD": actual[0],
                "ACTARM": actual[1],
                "COUNTRY": "FRA",
            }
        )
    return tuple(sorted(rows, key=lambda r: str(r["USUBJID"])))


def _death_date(s: Subject) -> datetime.date | None:
    if s.death_date:
        return s.death_date
    return s.end_date if s.end_cause == "death" else None


def _age(s: Subject) -> float | None:
    day = s.consent_date or s.screening_date
    return None if day is None else float(s.age_at(day))


def ds_rows(ctx: _Context) -> tuple[Row, ...]:
    rows: list[Row] = []

    def add(s: Subject, term: str, decod: str, cat: str, day: datetime.date | None) -> None:
        if day is None:
            return
        rows.append(
            {
                **ctx.ids("DS", s.code),
                "DSTERM": term,
                "DSDECOD": decod,
                "DSCAT": cat,
                "DSSTDTC": iso(day),
                "DSSTDY": study_day(day, s.infusion_date),
            }
        )

    for s in ctx.data.subjects:
        milestone = "PROTOCOL MILESTONE"
        add(s, "INFORMED CONSENT OBTAINED", "INFORMED CONSENT OBTAINED", milestone, s.consent_date)
        add(
            s, "ELIGIBILITY CRITERIA MET", "ELIGIBILITY CRITERIA MET", milestone, s.eligibility_date
        )
        add(s, "INCLUDED IN THE STUDY", "ENROLLED", milestone, s.inclusion_date)
        if s.end_cause and s.end_date:
            decod = DS_END[s.end_cause]
            add(s, decod, decod, "DISPOSITION EVENT", s.end_date)
    return _sequenced("DS", rows, _by_subject_and("DSSTDTC", "DSCAT"))


def ex_rows(ctx: _Context) -> tuple[Row, ...]:
    rows: list[Row] = []
    for e in ctx.data.exposures:
        reference = ctx.reference(e.subject)
        rows.append(
            {
                **ctx.ids("EX", e.subject),
                "EXTRT": EXTRT,
                "EXDOSE": float(e.dose_cells_per_kg),
                "EXDOSU": "cells/kg",
                "EXDOSFRM": "SUSPENSION",
                "EXROUTE": "INTRAVENOUS",
                "EXLOT": ascii_text(e.batch),
                "EXSTDTC": iso(e.started_at),
                "EXENDTC": iso(e.ended_at),
                "EXSTDY": study_day(e.started_at.date(), reference),
                "EXENDY": study_day(e.ended_at.date(), reference),
                **ctx.visit("INF"),
            }
        )
    return _sequenced("EX", rows, _by_subject_and("EXSTDTC"))


def _relation(value: str) -> str:
    return value.replace("_", " ").upper()


def ae_rows(ctx: _Context) -> tuple[Row, ...]:
    rows: list[Row] = []
    for a in ctx.data.adverse_events:
        reference = ctx.reference(a.subject)
        term = ascii_text(a.term)
        flags = {flag: _yn(c in a.seriousness) for c, flag in SERIOUSNESS_FLAGS.items()}
        procedure = (
            ""
            if a.relation_to_procedure == "not_applicable"
            else (f"BONE MARROW PROCEDURE: {_relation(a.relation_to_procedure)}")
        )
        rows.append(
            {
                **ctx.ids("AE", a.subject),
                "AESPID": str(a.number),
                "AETERM": term,
                "AELLT": term,
                "AELLTCD": float(a.meddra_code) if a.meddra_code.isdigit() else None,
                "AEDECOD": term,
                "AEBODSYS": ascii_text(a.soc),
                "AESOC": ascii_text(a.soc),
                "AETOXGR": str(a.grade),
                "AESER": _yn(a.serious),
                **flags,
                "AEREL": _relation(a.relation_to_msc),
                "AERELNST": procedure,
                "AEACN": AE_ACTION.get(a.action_taken, "NOT APPLICABLE"),
                "AEOUT": AE_OUTCOME[a.outcome],
                "AESTDTC": iso(a.onset_date),
                "AEENDTC": iso(a.end_date),
                "AESTDY": study_day(a.onset_date, reference),
                "AEENDY": study_day(a.end_date, reference),
            }
        )
    return _sequenced("AE", rows, _by_subject_and("AESTDTC", "AESPID"))


def _range_indicator(f: Finding) -> str:
    if f.low is not None and f.value < f.low:
        return "LOW"
    if f.high is not None and f.value > f.high:
        return "HIGH"
    if f.low is None and f.high is None:
        return ""
    return "NORMAL"


def _finding_common(ctx: _Context, p: str, f: Finding) -> Row:
    original = f.original_value if f.original_value is not None else f.value
    return {
        **ctx.ids(p, f.subject),
        f"{p}ORRES": _result_text(original),
        f"{p}ORRESU": ascii_text(f.original_unit or f.unit),
        f"{p}STRESC": _result_text(f.value),
        f"{p}STRESN": float(f.value),
        f"{p}STRESU": ascii_text(f.unit),
        **ctx.visit(f.visit),
        f"{p}DTC": iso(f.date),
        f"{p}DY": study_day(f.date, ctx.reference(f.subject)),
    }


def _original_limit(original: float | None, standard: float | None, f: Finding) -> str:
    if original is not None:
        return _result_text(original)
    if standard is not None and not f.original_unit:
        return _result_text(standard)
    return ""


def vs_rows(ctx: _Context) -> tuple[Row, ...]:
    rows: list[Row] = []
    for f in ctx.data.findings:
        if f.kind != "vital" or f.test not in VS_TESTS:
            continue
        code, name = VS_TESTS[f.test]
        rows.append(
            {
                **_finding_common(ctx, "VS", f),
                "VSTESTCD": code,
                "VSTEST": name,
                "VSTPT": f.timepoint.upper(),
            }
        )
    return _sequenced("VS", rows, _by_subject_and("VSDTC", "VISITNUM", "VSTPT", "VSTESTCD"))


def lb_rows(ctx: _Context) -> tuple[Row, ...]:
    rows: list[Row] = []
    for f in ctx.data.findings:
        if f.kind != "lab" or f.test not in LB_TESTS:
            continue
        code, name, category = LB_TESTS[f.test]
        rows.append(
            {
                **_finding_common(ctx, "LB", f),
                "LBTESTCD": code,
                "LBTEST": name,
                "LBCAT": category,
                "LBSCAT": "",
                "LBORNRLO": _original_limit(f.original_low, f.low, f),
                "LBORNRHI": _original_limit(f.original_high, f.high, f),
                "LBSTNRLO": _num(f.low),
                "LBSTNRHI": _num(f.high),
                "LBNRIND": _range_indicator(f),
            }
        )
    return _sequenced("LB", rows, _by_subject_and("LBDTC", "VISITNUM", "LBTESTCD"))


def qs_rows(ctx: _Context) -> tuple[Row, ...]:
    rows: list[Row] = []
    for q in ctx.data.questionnaires:
        score = "" if q.score is None else str(q.score)
        rows.append(
            {
                **ctx.ids("QS", q.subject),
                "QSTESTCD": haq_test_code(q.item),
                "QSTEST": ascii_text(q.label)[:MAX_LABEL].rstrip(),
                "QSCAT": ascii_text(q.questionnaire).upper(),
                "QSSCAT": ascii_text(q.category).upper(),
                "QSORRES": score,
                "QSORRESU": "",
                "QSSTRESC": score,
                "QSSTRESN": _num(q.score),
                "QSSTRESU": "",
                **ctx.visit(q.visit),
                "QSDTC": iso(q.date),
                "QSDY": study_day(q.date, ctx.reference(q.subject)),
            }
        )
    for subject, visit, day, index in ctx.data.haq_di():
        rows.append(
            {
                **ctx.ids("QS", subject),
                "QSTESTCD": HAQ_INDEX[0],
                "QSTEST": HAQ_INDEX[1],
                "QSCAT": QS_CATEGORY,
                "QSSCAT": "",
                "QSORRES": _result_text(index),
                "QSSTRESC": _result_text(index),
                "QSSTRESN": index,
                **ctx.visit(visit),
                "QSDTC": iso(day),
                "QSDY": study_day(day, ctx.reference(subject)),
            }
        )
    return _sequenced("QS", rows, _by_subject_and("QSDTC", "VISITNUM", "QSTESTCD"))


def mh_rows(ctx: _Context) -> tuple[Row, ...]:
    rows: list[Row] = []
    for h in ctx.data.history:
        rows.append(
            {
                **ctx.ids("MH", h.subject),
                "MHSPID": h.code,
                "MHTERM": ascii_text(h.term),
                "MHCAT": h.category,
                "MHPRESP": "Y",
                "MHOCCUR": _yn(h.present),
                "MHDTC": iso(h.date),
                "MHSTDTC": iso(h.start_date),
                "MHDY": study_day(h.date, ctx.reference(h.subject)),
            }
        )
    return _sequenced("MH", rows, _by_subject_and("MHCAT", "MHSPID"))


def build(data: ClinicalData) -> tuple[Dataset, ...]:
    """The eight datasets, rows ordered by subject and time, --SEQ numbered per subject."""
    ctx = _Context(data)
    exposures = {e.subject: e for e in data.exposures}
    rows = {
        "DM": dm_rows(ctx, exposures),
        "DS": ds_rows(ctx),
        "EX": ex_rows(ctx),
        "AE": ae_rows(ctx),
        "VS": vs_rows(ctx),
        "LB": lb_rows(ctx),
        "QS": qs_rows(ctx),
        "MH": mh_rows(ctx),
    }
    return tuple(Dataset(spec, _complete(spec, rows[spec.name])) for spec in DOMAINS)


def _complete(spec: DomainSpec, rows: Sequence[Row]) -> tuple[Row, ...]:
    """Every row with every variable, text in ASCII, and nothing the spec does not declare."""
    done: list[Row] = []
    for row in rows:
        extra = set(row) - {v.name for v in spec.variables}
        if extra:
            raise ValueError(f"{spec.name}: undeclared variables {sorted(extra)}")
        out: Row = {}
        for variable in spec.variables:
            value = row.get(variable.name)
            if variable.numeric:
                out[variable.name] = _num(value) if isinstance(value, int | float) else None
            else:
                out[variable.name] = ascii_text("" if value is None else str(value))
        done.append(out)
    return tuple(done)


def arms(data: ClinicalData) -> tuple[tuple[str, str], ...]:
    """The arm codes used, with their descriptions (the ARMCD code list)."""
    found = {(s.dose.arm_code, s.dose.arm) for s in data.subjects if s.dose}
    return (*sorted(found), ("NOTASSGN", "Not Assigned"), ("NOTTRT", "Not Treated"))


# --- Files -------------------------------------------------------------------------------------


def write_xpt(dataset: Dataset, directory: pathlib.Path) -> pathlib.Path:
    """One SAS transport file, version 5, named after the domain (``dm.xpt``)."""
    import pandas as pd
    import pyreadstat

    columns: dict[str, object] = {}
    for variable in dataset.spec.variables:
        values = dataset.column(variable.name)
        if variable.numeric:
            columns[variable.name] = pd.Series(
                [math.nan if v is None else v for v in values], dtype="float64"
            )
        else:
            columns[variable.name] = pd.Series(
                ["" if v is None else str(v) for v in values], dtype="object"
            )
    frame = pd.DataFrame(columns)
    path = directory / dataset.spec.filename
    pyreadstat.write_xport(
        frame,
        str(path),
        file_format_version=5,
        table_name=dataset.spec.name,
        file_label=dataset.spec.label,
        column_labels=[v.label for v in dataset.spec.variables],
    )
    return path


@dataclass(frozen=True)
class Written:
    datasets: tuple[Dataset, ...]
    files: tuple[pathlib.Path, ...] = field(default=())


def write(data: ClinicalData, directory: pathlib.Path) -> Written:
    """The eight XPT files in ``directory``; define.xml is written by ``define_xml``."""
    directory.mkdir(parents=True, exist_ok=True)
    datasets = build(data)
    return Written(datasets, tuple(write_xpt(d, directory) for d in datasets))
