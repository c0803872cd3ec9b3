"""The outcome forms of the follow-up, declared once: fields, types, units, ranges, code lists.

One :class:`FormSpec` per form type. The same declaration drives

- the database table of the form (``models.FORM_MODELS``: one column per field, with its range
  and code list as database constraints),
- the entry form of the page and of the API (``forms.outcome_form``),
- the field checks (``checks``): hard limits refuse a value, plausible ranges ask a question,
- the data dictionary (:func:`data_dictionary`) that an export publishes with the data.

Labels that the clinical core already holds in both languages (mRSS sites, HAQ-DI items,
analytes) are taken from it (:func:`bilingual`); the others go through gettext.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

from sclerocell.clinical import haq, mrss, units

Label = Any  # a str or a lazy translation


def _pick(fr: str, en: str) -> str:
    language = get_language()
    return fr if language and language.startswith("fr") else en


#: A label held in both languages by the clinical core, shown in the active one.
bilingual = lazy(_pick, str)


class Kind(StrEnum):
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    DATE = "date"
    TEXT = "text"


class DateRule(StrEnum):
    """How a date of a form is checked against the visit and the infusion."""

    EXAM = "exam"  # the day of the test: near the visit, on the right side of the infusion
    EVENT = "event"  # the day of a clinical event: after the infusion (any time before baseline)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: Label
    kind: Kind
    unit: Label = ""
    #: Hard limits: a value outside them is refused (an impossible value or a wrong unit).
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    #: Plausible range: a value outside it is kept, and asks a question (a data query).
    plausible: tuple[Decimal, Decimal] | None = None
    decimals: int = 0
    digits: int = 6
    choices: tuple[tuple[Any, Label], ...] = ()
    #: Needed before the form can be marked complete.
    required: bool = False
    help: Label = ""
    date_rule: DateRule | None = None
    #: Lab fields: the analyte (clinical.units id) and the part (value, unit, low, high).
    analyte: str = ""
    part: str = ""
    max_length: int = 0

    @property
    def choice_codes(self) -> tuple[Any, ...]:
        return tuple(code for code, _label in self.choices)


@dataclass(frozen=True)
class LabSpec:
    """One analyte of the lab form: its allowed unit spellings and its plausible range."""

    analyte: str
    units: tuple[str, ...]
    plausible: tuple[Decimal, Decimal]  # in the canonical unit (clinical.units)
    maximum: Decimal  # hard limit, canonical unit

    @property
    def canonical_unit(self) -> str:
        return units.canonical_unit(self.analyte)

    @property
    def label(self) -> Label:
        info = units.get_analyte(self.analyte)
        return bilingual(info.label_fr, info.label_en)

    @property
    def value(self) -> str:
        return f"{self.analyte}_value"

    @property
    def unit(self) -> str:
        return f"{self.analyte}_unit"

    @property
    def low(self) -> str:
        return f"{self.analyte}_low"

    @property
    def high(self) -> str:
        return f"{self.analyte}_high"


@dataclass(frozen=True)
class Section:
    title: Label
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class FormSpec:
    code: str
    model_name: str
    title: Label
    sections: tuple[Section, ...]
    #: Visits where the form is expected (the others may still record it).
    expected_at: frozenset[str]
    description: Label = ""
    labs: tuple[LabSpec, ...] = ()
    _by_name: Mapping[str, FieldSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {f.name: f for s in self.sections for f in s.fields}
        if len(by_name) != sum(len(s.fields) for s in self.sections):
            raise ValueError(f"{self.code}: duplicate field names")
        object.__setattr__(self, "_by_name", MappingProxyType(by_name))

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return tuple(self._by_name.values())

    def field(self, name: str) -> FieldSpec:
        return self._by_name[name]

    def has_field(self, name: str) -> bool:
        return name in self._by_name


# --- Building blocks ---------------------------------------------------------------------------

D = Decimal
BASELINE = "BL"
UNSCHEDULED = "UNS"
#: Every post-infusion visit code the visit table knows (its CHECK constraint). The schedule in
#: force (setting ``SCLEROCELL_VISIT_SCHEDULE``, read by ``visits.schedule_settings``) uses some
#: or all of them, with its own offsets and windows; a new code is a migration.
SCHEDULED = ("D10", "M1", "M3", "M6", "M9", "M12", "M18", "M24")
#: Baseline, then the visits where the secondary objective reads the response (and later ones).
ASSESSMENT_VISITS = frozenset({BASELINE, "M3", "M6", "M9", "M12", "M18", "M24"})
EVERY_VISIT = frozenset({BASELINE, *SCHEDULED})
AFTER_INFUSION = frozenset(SCHEDULED)

YES_NO: tuple[tuple[Any, Label], ...] = ((True, _("yes")), (False, _("no")))


def integer(
    name: str,
    label: Label,
    low: int,
    high: int,
    *,
    unit: Label = "",
    required: bool = False,
    plausible: tuple[int, int] | None = None,
    choices: tuple[tuple[Any, Label], ...] = (),
    help: Label = "",
) -> FieldSpec:
    return FieldSpec(
        name,
        label,
        Kind.INTEGER,
        unit=unit,
        minimum=D(low),
        maximum=D(high),
        plausible=None if plausible is None else (D(plausible[0]), D(plausible[1])),
        required=required,
        choices=choices,
        help=help,
    )


def decimal(
    name: str,
    label: Label,
    low: str,
    high: str,
    *,
    unit: Label = "",
    decimals: int = 1,
    required: bool = False,
    plausible: tuple[str, str] | None = None,
    help: Label = "",
) -> FieldSpec:
    return FieldSpec(
        name,
        label,
        Kind.DECIMAL,
        unit=unit,
        minimum=D(low),
        maximum=D(high),
        plausible=None if plausible is None else (D(plausible[0]), D(plausible[1])),
        decimals=decimals,
        digits=max(len(high.split(".")[0]) + decimals, 3),
        required=required,
        help=help,
    )


def boolean(name: str, label: Label, *, required: bool = False, help: Label = "") -> FieldSpec:
    return FieldSpec(name, label, Kind.BOOLEAN, choices=YES_NO, required=required, help=help)


def day(
    name: str, label: Label, rule: DateRule, *, required: bool = False, help: Label = ""
) -> FieldSpec:
    return FieldSpec(name, label, Kind.DATE, date_rule=rule, required=required, help=help)


def text(name: str, label: Label, *, help: Label = "") -> FieldSpec:
    return FieldSpec(name, label, Kind.TEXT, help=help, max_length=500)


def lab_fields(lab: LabSpec) -> tuple[FieldSpec, ...]:
    unit_choices = tuple((spelling, spelling) for spelling in lab.units)
    limit = str(lab.maximum * 1000)  # the hard limit is checked after conversion
    common: dict[str, Any] = {"analyte": lab.analyte}
    return (
        FieldSpec(
            lab.value,
            lab.label,
            Kind.DECIMAL,
            minimum=D(0),
            maximum=D(limit),
            decimals=3,
            digits=len(limit) + 3,
            part="value",
            **common,
        ),
        FieldSpec(
            lab.unit,
            _("unit"),
            Kind.CHOICE,
            choices=unit_choices,
            max_length=16,
            part="unit",
            **common,
        ),
        FieldSpec(
            lab.low,
            _("lower limit of normal"),
            Kind.DECIMAL,
            minimum=D(0),
            maximum=D(limit),
            decimals=3,
            digits=len(limit) + 3,
            part="low",
            **common,
        ),
        FieldSpec(
            lab.high,
            _("upper limit of normal"),
            Kind.DECIMAL,
            minimum=D(0),
            maximum=D(limit),
            decimals=3,
            digits=len(limit) + 3,
            part="high",
            **common,
        ),
    )


# --- The forms ---------------------------------------------------------------------------------


def _mrss() -> FormSpec:
    def site(s: mrss.MrssSite) -> FieldSpec:
        return integer(
            s.id,
            bilingual(s.label_fr, s.label_en),
            0,
            mrss.MAX_SITE_SCORE,
            required=True,
            choices=MRSS_GRADES,
        )

    by_side = {
        side: tuple(site(s) for s in mrss.SITES if s.side == side)
        for side in (None, "right", "left")
    }
    return FormSpec(
        "mrss",
        "MrssForm",
        _("Modified Rodnan skin score"),
        (
            Section(_("Face and trunk"), by_side[None]),
            Section(_("Right side"), by_side["right"]),
            Section(_("Left side"), by_side["left"]),
            Section(
                _("Source document"),
                (
                    integer(
                        "total_reported",
                        _("total written on the source document"),
                        0,
                        mrss.MAX_TOTAL,
                        help=_("Optional: it is checked against the sum of the 17 sites."),
                    ),
                ),
            ),
        ),
        expected_at=frozenset({BASELINE, "M1", *ASSESSMENT_VISITS}),
        description=_("17 sites, each 0 (normal) to 3 (severe thickening); total 0–51."),
    )


MRSS_GRADES: tuple[tuple[Any, Label], ...] = (
    (0, _("0 — normal")),
    (1, _("1 — mild thickening")),
    (2, _("2 — moderate thickening")),
    (3, _("3 — severe thickening")),
)

HAQ_ANSWERS: tuple[tuple[Any, Label], ...] = (
    (0, _("without any difficulty")),
    (1, _("with some difficulty")),
    (2, _("with much difficulty")),
    (3, _("unable to do")),
)


def aids_field(category: str) -> str:
    return f"aids_{category}"


def _haq() -> FormSpec:
    sections = tuple(
        Section(
            bilingual(category.label_fr, category.label_en),
            (
                *(
                    integer(
                        item.id,
                        bilingual(item.label_fr, item.label_en),
                        0,
                        haq.MAX_ITEM_SCORE,
                        choices=HAQ_ANSWERS,
                    )
                    for item in category.items
                ),
                boolean(
                    aids_field(category.id),
                    _("aids, devices or help from another person"),
                ),
            ),
        )
        for category in haq.CATEGORIES
    )
    return FormSpec(
        "haq",
        "HaqForm",
        _("HAQ-DI (disability index)"),
        sections,
        expected_at=ASSESSMENT_VISITS,
        description=_(
            "20 items in 8 categories, over the past week. Aids or help raise a category to at "
            "least 2. The index needs at least 6 categories answered."
        ),
    )


def _pft() -> FormSpec:
    percent_predicted = _("% of predicted")
    return FormSpec(
        "pft",
        "PftForm",
        _("Lung function"),
        (
            Section(None, (day("test_date", _("date of the test"), DateRule.EXAM, required=True),)),
            Section(
                _("Forced vital capacity (FVC)"),
                (
                    decimal("fvc_litres", _("FVC"), "0.2", "9", unit="L", decimals=2),
                    decimal(
                        "fvc_percent",
                        _("FVC, % of predicted"),
                        "10",
                        "200",
                        unit="%",
                        required=True,
                        plausible=("30", "150"),
                        help=percent_predicted,
                    ),
                ),
            ),
            Section(
                _("Total lung capacity (TLC)"),
                (
                    decimal("tlc_litres", _("TLC"), "0.5", "12", unit="L", decimals=2),
                    decimal(
                        "tlc_percent",
                        _("TLC, % of predicted"),
                        "10",
                        "200",
                        unit="%",
                        plausible=("30", "150"),
                    ),
                ),
            ),
            Section(
                _("Diffusing capacity (DLCO)"),
                (
                    decimal(
                        "dlco_raw",
                        _("DLCO"),
                        "0.3",
                        "20",
                        unit="mmol/min/kPa",
                        decimals=2,
                    ),
                    decimal(
                        "dlco_percent",
                        _("DLCO, % of predicted"),
                        "5",
                        "200",
                        unit="%",
                        required=True,
                        plausible=("15", "150"),
                    ),
                ),
            ),
            Section(
                _("For the ACR-CRISS"),
                (
                    boolean("ild_on_hrct", _("interstitial lung disease on HRCT")),
                    boolean(
                        "fvc_fall_confirmed",
                        _("a fall of FVC is confirmed by a second test within a month"),
                    ),
                ),
            ),
        ),
        expected_at=ASSESSMENT_VISITS,
    )


def _echo() -> FormSpec:
    return FormSpec(
        "echo",
        "EchoForm",
        _("Echocardiography"),
        (
            Section(
                None,
                (
                    day("exam_date", _("date of the examination"), DateRule.EXAM, required=True),
                    decimal(
                        "lvef",
                        _("left-ventricular ejection fraction (LVEF)"),
                        "10",
                        "90",
                        unit="%",
                        decimals=0,
                        required=True,
                        plausible=("35", "80"),
                    ),
                    decimal(
                        "spap",
                        _("systolic pulmonary arterial pressure (sPAP)"),
                        "10",
                        "150",
                        unit="mmHg",
                        decimals=0,
                        plausible=("15", "80"),
                    ),
                    boolean("pericardial_effusion", _("pericardial effusion")),
                ),
            ),
        ),
        expected_at=frozenset({BASELINE, "M6", "M12", "M24"}),
    )


def _rhc() -> FormSpec:
    return FormSpec(
        "rhc",
        "RhcForm",
        _("Right heart catheterisation"),
        (
            Section(
                None,
                (
                    day(
                        "exam_date", _("date of the catheterisation"), DateRule.EXAM, required=True
                    ),
                    decimal(
                        "mpap",
                        _("mean pulmonary arterial pressure (mPAP)"),
                        "5",
                        "100",
                        unit="mmHg",
                        decimals=0,
                        required=True,
                    ),
                    decimal(
                        "pawp",
                        _("pulmonary arterial wedge pressure (PAWP)"),
                        "1",
                        "50",
                        unit="mmHg",
                        decimals=0,
                    ),
                    decimal(
                        "cardiac_output", _("cardiac output"), "1", "15", unit="L/min", decimals=2
                    ),
                    decimal(
                        "pvr",
                        _("pulmonary vascular resistance (PVR)"),
                        "0",
                        "40",
                        unit="WU",
                        decimals=1,
                    ),
                ),
            ),
        ),
        expected_at=frozenset(),
        description=_("When one is done (not scheduled by the protocol)."),
    )


LABS: tuple[LabSpec, ...] = (
    LabSpec("creatinine", ("µmol/L", "mg/dL"), (D(20), D(800)), D(3000)),
    LabSpec("haemoglobin", ("g/dL", "g/L", "mmol/L"), (D(5), D(20)), D(30)),
    LabSpec("leukocytes", ("10⁹/L", "G/L", "/mm³"), (D(1), D(30)), D(500)),
    LabSpec("neutrophils", ("10⁹/L", "G/L", "/mm³"), (D("0.3"), D(25)), D(500)),
    LabSpec("lymphocytes", ("10⁹/L", "G/L", "/mm³"), (D("0.1"), D(10)), D(500)),
    LabSpec("platelets", ("10⁹/L", "G/L", "/mm³"), (D(20), D(800)), D(5000)),
    LabSpec("cd4_lymphocytes", ("10⁶/L", "/mm³"), (D(50), D(2500)), D(20000)),
    LabSpec("crp", ("mg/L", "mg/dL"), (D(0), D(200)), D(1000)),
    LabSpec("alt", ("U/L", "UI/L"), (D(2), D(500)), D(20000)),
    LabSpec("ast", ("U/L", "UI/L"), (D(2), D(500)), D(20000)),
    LabSpec("bilirubin", ("µmol/L", "mg/dL"), (D(1), D(100)), D(1000)),
)


def _labs() -> FormSpec:
    return FormSpec(
        "labs",
        "LabsForm",
        _("Laboratory tests"),
        (
            Section(
                None, (day("sample_date", _("date of the sample"), DateRule.EXAM, required=True),)
            ),
            *(Section(lab.label, lab_fields(lab)) for lab in LABS),
        ),
        expected_at=EVERY_VISIT,
        description=_(
            "Enter each value in the unit of the lab report, with the report's normal range; "
            "values are converted to the protocol's unit for checks and analysis."
        ),
        labs=LABS,
    )


def _vitals() -> FormSpec:
    return FormSpec(
        "vitals",
        "VitalsForm",
        _("Vital signs and weight"),
        (
            Section(
                None,
                (
                    integer(
                        "systolic_bp",
                        _("systolic blood pressure"),
                        50,
                        280,
                        unit="mmHg",
                        required=True,
                        plausible=(80, 200),
                    ),
                    integer(
                        "diastolic_bp",
                        _("diastolic blood pressure"),
                        20,
                        180,
                        unit="mmHg",
                        required=True,
                        plausible=(40, 120),
                    ),
                    integer(
                        "heart_rate", _("heart rate"), 20, 250, unit="/min", plausible=(40, 150)
                    ),
                    integer(
                        "spo2",
                        _("oxygen saturation (SpO2)"),
                        50,
                        100,
                        unit="%",
                        plausible=(85, 100),
                    ),
                    decimal(
                        "weight",
                        _("weight"),
                        "20",
                        "250",
                        unit="kg",
                        required=True,
                        plausible=("30", "150"),
                    ),
                ),
            ),
        ),
        expected_at=EVERY_VISIT,
    )


GLOBAL_HELP = _("0 = very good, 10 = very poor.")


def _globals() -> FormSpec:
    return FormSpec(
        "globals",
        "GlobalsForm",
        _("Global assessments"),
        (
            Section(
                None,
                (
                    decimal(
                        "patient_global",
                        _("patient global assessment"),
                        "0",
                        "10",
                        required=True,
                        help=GLOBAL_HELP,
                    ),
                    decimal(
                        "physician_global",
                        _("physician global assessment"),
                        "0",
                        "10",
                        required=True,
                        help=GLOBAL_HELP,
                    ),
                ),
            ),
        ),
        expected_at=ASSESSMENT_VISITS,
    )


SHAQ_SCALES: tuple[tuple[str, Label], ...] = (
    ("pain", _("pain")),
    ("intestinal", _("intestinal problems")),
    ("breathing", _("breathing problems")),
    ("raynaud", _("Raynaud's phenomenon")),
    ("digital_ulcers", _("digital ulcers")),
    ("overall_severity", _("overall severity of the disease")),
)


def _shaq() -> FormSpec:
    return FormSpec(
        "shaq",
        "ShaqForm",
        _("Scleroderma HAQ: visual analogue scales"),
        (
            Section(
                None,
                tuple(
                    decimal(
                        name,
                        label,
                        "0",
                        "15",
                        unit="cm",
                        help=_("Distance of the mark from the left end of the 15-cm line."),
                    )
                    for name, label in SHAQ_SCALES
                ),
            ),
        ),
        expected_at=ASSESSMENT_VISITS,
        description=_("Each scale is reported separately on 0–3; never added to the HAQ-DI."),
    )


def _eustar() -> FormSpec:
    return FormSpec(
        "eustar",
        "EustarForm",
        _("EUSTAR activity items"),
        (
            Section(
                None,
                (
                    boolean(
                        "delta_skin",
                        _("skin worsening reported by the patient in the last month"),
                        required=True,
                    ),
                    boolean("digital_ulcers", _("active digital ulcers"), required=True),
                    boolean("tendon_friction_rubs", _("tendon friction rubs"), required=True),
                ),
            ),
        ),
        expected_at=ASSESSMENT_VISITS,
        description=_(
            "The index also reads the mRSS, the CRP and the DLCO recorded at the same visit."
        ),
    )


def _ulcers() -> FormSpec:
    return FormSpec(
        "ulcers",
        "UlcersForm",
        _("Digital ulcers"),
        (
            Section(
                None,
                (
                    integer("active_ulcers", _("active digital ulcers"), 0, 40, required=True),
                    integer(
                        "new_ulcers",
                        _("new digital ulcers since the previous visit"),
                        0,
                        40,
                    ),
                    boolean("pitting_scars", _("digital pitting scars")),
                    boolean("gangrene", _("gangrene or amputation since the previous visit")),
                ),
            ),
        ),
        expected_at=frozenset({BASELINE, "M1", *ASSESSMENT_VISITS}),
    )


TREATMENTS: tuple[tuple[str, Label], ...] = (
    ("mycophenolate", _("mycophenolate")),
    ("methotrexate", _("methotrexate")),
    ("cyclophosphamide", _("cyclophosphamide")),
    ("rituximab", _("rituximab")),
    ("other_immunosuppressant", _("other immunosuppressant")),
    ("calcium_channel_blocker", _("calcium channel blocker")),
    ("ace_inhibitor", _("angiotensin-converting enzyme inhibitor")),
    ("endothelin_antagonist", _("endothelin receptor antagonist")),
    ("pde5_inhibitor", _("phosphodiesterase-5 inhibitor")),
    ("prostacyclin_analogue", _("prostacyclin analogue (iloprost…)")),
    ("proton_pump_inhibitor", _("proton pump inhibitor")),
)


def _treatments() -> FormSpec:
    return FormSpec(
        "treatments",
        "TreatmentsForm",
        _("Concomitant treatments"),
        (
            Section(
                _("Corticosteroids"),
                (
                    boolean("corticosteroids", _("corticosteroids"), required=True),
                    decimal(
                        "prednisone_dose",
                        _("prednisone-equivalent dose"),
                        "0",
                        "100",
                        unit=_("mg/day"),
                        help=_("Current daily dose."),
                    ),
                ),
            ),
            Section(
                _("Since the previous visit"),
                (
                    *(boolean(name, label) for name, label in TREATMENTS),
                    text("other_treatments", _("other treatments")),
                ),
            ),
        ),
        expected_at=EVERY_VISIT,
    )


#: (event, its label) — each has a date, whether SSc explains it, and whether it was treated.
ORGAN_EVENTS: tuple[tuple[str, Label], ...] = (
    ("renal_crisis", _("scleroderma renal crisis")),
    ("lv_failure", _("new left-ventricular failure (LVEF ≤ 45 %)")),
    ("pulmonary_hypertension", _("new pulmonary hypertension on right heart catheterisation")),
)


def event_parts(event: str) -> tuple[str, str, str, str]:
    """The four fields of an organ event: present, date, attributable to SSc, treated."""
    return (event, f"{event}_date", f"{event}_ssc", f"{event}_treated")


def _organ_events() -> FormSpec:
    def block(event: str, label: Label) -> Section:
        present, when, ssc, treated = event_parts(event)
        return Section(
            label,
            (
                boolean(present, label, required=True),
                day(when, _("date of onset"), DateRule.EVENT),
                boolean(ssc, _("attributable to systemic sclerosis")),
                boolean(treated, _("requiring treatment")),
            ),
        )

    return FormSpec(
        "organ_events",
        "OrganEventsForm",
        _("Organ events"),
        tuple(block(event, label) for event, label in ORGAN_EVENTS),
        expected_at=AFTER_INFUSION,
        description=_(
            "New events since the previous visit. They are the progression events of the "
            "response and step 1 of the ACR-CRISS."
        ),
    )


#: The answers of the malignancy surveillance item.
MALIGNANCY_YES, MALIGNANCY_NO, MALIGNANCY_NOT_ASSESSED = "yes", "no", "not_assessed"
MALIGNANCY_ANSWERS: tuple[tuple[Any, Label], ...] = (
    (MALIGNANCY_YES, _("yes")),
    (MALIGNANCY_NO, _("no")),
    (MALIGNANCY_NOT_ASSESSED, _("not assessed")),
)


def _surveillance() -> FormSpec:
    return FormSpec(
        "surveillance",
        "SurveillanceForm",
        _("Malignancy surveillance"),
        (
            Section(
                None,
                (
                    FieldSpec(
                        "new_malignancy",
                        _("new or suspected malignancy since the last visit"),
                        Kind.CHOICE,
                        choices=MALIGNANCY_ANSWERS,
                        max_length=16,
                        required=True,
                        help=_(
                            "If yes, record the adverse event and flag it as a malignancy: a "
                            "data query asks for it until it is there."
                        ),
                    ),
                ),
            ),
        ),
        expected_at=AFTER_INFUSION,
        description=_(
            "Asked at every visit after the infusion, for the whole follow-up: an answer of no "
            "records that the question was asked."
        ),
    )


FORMS: Mapping[str, FormSpec] = MappingProxyType(
    {
        spec.code: spec
        for spec in (
            _mrss(),
            _pft(),
            _echo(),
            _rhc(),
            _labs(),
            _vitals(),
            _haq(),
            _globals(),
            _shaq(),
            _eustar(),
            _ulcers(),
            _treatments(),
            _organ_events(),
            _surveillance(),
        )
    }
)


# --- Data dictionary ---------------------------------------------------------------------------

DICTIONARY_COLUMNS = (
    "form",
    "field",
    "type",
    "unit",
    "minimum",
    "maximum",
    "plausible_low",
    "plausible_high",
    "decimals",
    "codes",
    "required_to_complete",
    "label_fr",
    "label_en",
)


def _in(language: str, label: Label) -> str:
    with override(language):
        return str(label)


def _codes(spec: FieldSpec, language: str) -> str:
    if spec.kind is Kind.BOOLEAN:
        return "1=" + _in(language, _("yes")) + " | 0=" + _in(language, _("no"))
    return " | ".join(f"{code}={_in(language, label)}" for code, label in spec.choices)


def data_dictionary() -> Iterator[dict[str, str]]:
    """One row per column of every outcome form, in form and field order (for the export)."""
    for form in FORMS.values():
        for spec in form.fields:
            unit = _in("en", spec.unit) if spec.unit else ""
            if spec.part == "value":
                unit = f"see {spec.analyte}_unit"
            yield {
                "form": form.code,
                "field": spec.name,
                "type": spec.kind.value,
                "unit": unit,
                "minimum": "" if spec.minimum is None else str(spec.minimum),
                "maximum": "" if spec.maximum is None else str(spec.maximum),
                "plausible_low": "" if spec.plausible is None else str(spec.plausible[0]),
                "plausible_high": "" if spec.plausible is None else str(spec.plausible[1]),
                "decimals": str(spec.decimals) if spec.kind is Kind.DECIMAL else "",
                "codes": _codes(spec, "en"),
                "required_to_complete": "yes" if spec.required else "",
                "label_fr": _in("fr", spec.label),
                "label_en": _in("en", spec.label),
            }
