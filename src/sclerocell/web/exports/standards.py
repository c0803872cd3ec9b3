"""SDTM (with define.xml) and HL7 FHIR R4 exports: the database read into the exchange records.

The shell of :mod:`sclerocell.exchange.sdtm`, :mod:`~sclerocell.exchange.define_xml` and
:mod:`~sclerocell.exchange.fhir`. It reads the recipients of the given queryset (already scoped
to what the user may see) with their consent, inclusion, infusion, follow-up forms, screening
data and adverse events, drops everything dated after the cut-off, and calls the core.

Donors are not exported here (SDTM would put them in associated-person domains; see
docs/standards.md).
"""

from __future__ import annotations

import datetime
import pathlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from sclerocell.clinical import haq, mrss, units
from sclerocell.exchange import define_xml, fhir, sdtm
from sclerocell.exchange.clinical_records import (
    AdverseEvent,
    ClinicalData,
    DoseLevel,
    Exposure,
    Finding,
    MedicalHistory,
    QuestionnaireItem,
    Study,
    StudySite,
    Subject,
)
from sclerocell.web.accounts.models import Site
from sclerocell.web.followup.definitions import LABS
from sclerocell.web.followup.models import FORM_MODELS, Visit
from sclerocell.web.product.models import Infusion
from sclerocell.web.safety.models import SERIOUSNESS_FIELDS
from sclerocell.web.safety.models import AdverseEvent as AdverseEventRow
from sclerocell.web.screening.catalogue import FINDING_SECTIONS, RECIPIENT, TESTS
from sclerocell.web.trial.models import (
    Eligibility,
    Participant,
    ParticipantKind,
    ProtocolAmendment,
)

#: Screening measurement code → (finding kind, study test).
SCREENING_TESTS: dict[str, tuple[str, str]] = {
    "creatinine": ("lab", "creatinine"),
    "alt": ("lab", "alt"),
    "ast": ("lab", "ast"),
    "bilirubin": ("lab", "bilirubin"),
    "neutrophils": ("lab", "neutrophils"),
    "platelets": ("lab", "platelets"),
    "haemoglobin": ("lab", "haemoglobin"),
    "cd4": ("lab", "cd4_lymphocytes"),
    "weight": ("vital", "weight"),
    "height": ("vital", "height"),
    "fvc_pct_pred": ("function", "fvc_pct_pred"),
    "dlco_pct_pred": ("function", "dlco_pct_pred"),
    "tlc_pct_pred": ("function", "tlc_pct_pred"),
}
#: Follow-up vitals form field → study test (unit of the form).
FOLLOW_UP_VITALS: dict[str, tuple[str, str]] = {
    "systolic_bp": ("systolic_bp", "mmHg"),
    "diastolic_bp": ("diastolic_bp", "mmHg"),
    "heart_rate": ("heart_rate", "/min"),
    "spo2": ("spo2", "%"),
    "weight": ("weight", "kg"),
}
FOLLOW_UP_PFT: dict[str, str] = {
    "fvc_percent": "fvc_pct_pred",
    "dlco_percent": "dlco_pct_pred",
    "tlc_percent": "tlc_pct_pred",
}
#: Screening finding sections → MHCAT.
MH_CATEGORIES: dict[str, str] = {
    "classification": "SSC CLASSIFICATION",
    "organs": "ORGAN INVOLVEMENT",
    "history": "GENERAL",
}
#: Test → analyte of ``clinical.units`` (for conversion to the standard unit).
ANALYTE: dict[str, str] = {lab.analyte: lab.analyte for lab in LABS}


def _kept(day: datetime.date | None, cutoff: datetime.date) -> datetime.date | None:
    return day if day is not None and day <= cutoff else None


def _float(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


def _standard(test: str, value: float, unit: str) -> tuple[float, str, float | None]:
    """The value in the analyte's canonical unit (and the conversion factor), if it has one."""
    analyte = ANALYTE.get(test)
    if analyte is None:
        return value, unit, None
    canonical = units.canonical_unit(analyte)
    if unit == canonical:
        return value, unit, 1.0
    try:
        converted = units.convert(value, unit, canonical, analyte)
        factor = units.convert(1.0, unit, canonical, analyte)
    except (units.UnitError, ValueError):
        return value, unit, None
    return converted, canonical, factor


def _lab(
    subject: str,
    test: str,
    value: float,
    unit: str,
    day: datetime.date,
    visit: str,
    low: float | None,
    high: float | None,
) -> Finding:
    standard, standard_unit, factor = _standard(test, value, unit)

    def scale(limit: float | None) -> float | None:
        return None if limit is None or factor is None else limit * factor

    return Finding(
        subject,
        "lab",
        test,
        standard,
        standard_unit,
        day,
        visit,
        original_value=value,
        original_unit=unit,
        low=scale(low) if factor is not None else low,
        high=scale(high) if factor is not None else high,
        original_low=low,
        original_high=high,
    )


# --- Reading -----------------------------------------------------------------------------------


def _subject(p: Participant, site: StudySite, cutoff: datetime.date) -> Subject:
    consents = sorted(c.signed_date for c in p.consents.all() if c.signed_date <= cutoff)
    enrolment = getattr(p, "enrolment", None)
    dose = None
    if enrolment is not None and enrolment.dose_level is not None:
        dose = DoseLevel(enrolment.dose_level, enrolment.target_cells_per_kg or 0.0)
    end = _kept(p.end_date, cutoff)
    return Subject(
        code=p.code,
        site=site,
        sex="F" if p.sex == "F" else "M",
        birth_year=p.birth_year,
        birth_month=p.birth_month,
        screening_date=p.screening_date,
        consent_date=consents[0] if consents else None,
        eligibility_date=(
            _kept(p.eligibility_date, cutoff) if p.eligibility == Eligibility.ELIGIBLE else None
        ),
        inclusion_date=_kept(p.inclusion_date, cutoff),
        infusion_date=_kept(p.infusion_date, cutoff),
        end_date=end,
        end_cause=p.end_cause if end and p.end_cause else None,  # type: ignore[arg-type]
        dose=dose,
    )


def _exposure(infusion: Infusion, cutoff: datetime.date) -> Exposure | None:
    if timezone.localdate(infusion.started_at) > cutoff:
        return None
    return Exposure(
        subject=infusion.recipient.code,
        started_at=infusion.started_at,
        ended_at=infusion.ended_at,
        dose_cells_per_kg=infusion.dose_per_kg,
        cells_infused=infusion.cells_infused,
        volume_ml=float(infusion.volume_ml),
        weight_kg=float(infusion.weight_kg),
        batch=infusion.batch.number,
        target_cells_per_kg=infusion.target_per_kg,
    )


def _infusion_vitals(infusion: Infusion) -> Iterator[Finding]:
    day = timezone.localdate(infusion.started_at)
    code = infusion.recipient.code
    for v in infusion.vital_signs.all():
        values: tuple[tuple[str, float | None, str], ...] = (
            ("systolic_bp", v.systolic_mmhg, "mmHg"),
            ("diastolic_bp", v.diastolic_mmhg, "mmHg"),
            ("heart_rate", v.heart_rate_bpm, "/min"),
            ("temperature", _float(v.temperature_c), "°C"),
            ("spo2", _float(v.spo2_pct), "%"),
        )
        for test, value, unit in values:
            if value is not None:
                yield Finding(
                    code, "vital", test, float(value), unit, day, "INF", timepoint=v.moment
                )


def _adverse_event(row: AdverseEventRow, cutoff: datetime.date) -> AdverseEvent:
    ended = _kept(row.end_date, cutoff)
    outcome = row.outcome if ended or not row.end_date else "not_recovered"
    return AdverseEvent(
        subject=row.participant.code,
        number=row.number,
        term=row.term,
        grade=row.grade,
        onset_date=row.onset_date,
        ctcae_version=row.ctcae_version,
        meddra_code=row.meddra_code,
        soc=row.soc,
        end_date=ended,
        outcome=outcome,  # type: ignore[arg-type]
        relation_to_msc=row.relation_to_msc,  # type: ignore[arg-type]
        relation_to_procedure=row.relation_to_procedure,  # type: ignore[arg-type]
        seriousness=frozenset(c.value for c, f in SERIOUSNESS_FIELDS.items() if getattr(row, f)),
        action_taken=row.action_taken,
        expectedness=row.expectedness,
    )


def _follow_up(visit: Visit, forms: dict[str, Any]) -> Iterator[Finding | QuestionnaireItem]:
    code = visit.participant.code
    day = visit.visit_date
    vitals = forms.get("vitals")
    if vitals is not None:
        for field, (test, unit) in FOLLOW_UP_VITALS.items():
            value = getattr(vitals, field)
            if value is not None:
                yield Finding(code, "vital", test, float(value), unit, day, visit.code)
    labs = forms.get("labs")
    if labs is not None:
        sampled = labs.sample_date or day
        for lab in LABS:
            value = getattr(labs, lab.value)
            if value is None:
                continue
            unit = getattr(labs, lab.unit) or lab.canonical_unit
            yield _lab(
                code,
                lab.analyte,
                float(value),
                unit,
                sampled,
                visit.code,
                _float(getattr(labs, lab.low)),
                _float(getattr(labs, lab.high)),
            )
    pft = forms.get("pft")
    if pft is not None:
        tested = pft.test_date or day
        for field, test in FOLLOW_UP_PFT.items():
            value = getattr(pft, field)
            if value is not None:
                yield Finding(code, "function", test, float(value), "%", tested, visit.code)
    skin = forms.get("mrss")
    if skin is not None:
        scores = [getattr(skin, site) for site in mrss.SITE_IDS]
        if all(s is not None for s in scores):
            yield Finding(code, "skin", "mrss_total", float(sum(scores)), "points", day, visit.code)
    answers = forms.get("haq")
    if answers is not None:
        yield from _haq_items(code, answers, day, visit.code)


def _haq_items(code: str, form: Any, day: datetime.date, visit: str) -> Iterator[QuestionnaireItem]:
    for category in haq.CATEGORIES:
        for item in category.items:
            score = getattr(form, item.id)
            if score is not None:
                yield QuestionnaireItem(
                    code,
                    "HAQ-DI",
                    item.id,
                    item.label_en,
                    int(score),
                    day,
                    visit,
                    category.label_en,
                )
        aids = getattr(form, f"aids_{category.id}")
        if aids is not None:
            yield QuestionnaireItem(
                code,
                "HAQ-DI",
                f"aids_{category.id}",
                f"Aids or help: {category.label_en}",
                int(aids),
                day,
                visit,
                category.label_en,
            )


def _screening(p: Participant, cutoff: datetime.date) -> Iterator[Finding]:
    measurements = sorted(p.screening_measurements.all(), key=lambda m: (m.date, m.pk))
    for m in (m for m in measurements if m.date <= cutoff):
        kind, test = SCREENING_TESTS.get(m.code, ("", ""))
        if kind == "lab":
            yield _lab(p.code, test, m.value, m.unit, m.date, "SCR", m.ref_low, m.ref_high)
        elif kind:
            yield Finding(p.code, kind, test, m.value, m.unit, m.date, "SCR")  # type: ignore[arg-type]
    pressures = sorted(p.screening_blood_pressures.all(), key=lambda bp: (bp.date, bp.pk))
    for bp in (bp for bp in pressures if bp.date <= cutoff):
        for test, value in (("systolic_bp", bp.systolic), ("diastolic_bp", bp.diastolic)):
            if value is not None:
                yield Finding(p.code, "vital", test, value, bp.unit, bp.date, "SCR")
    scores = sorted(p.screening_skin_scores.all(), key=lambda s: (s.date, s.pk))
    for s in (s for s in scores if s.date <= cutoff):
        total = s.site_total if s.site_total is not None else s.total
        if total is not None:
            yield Finding(p.code, "skin", "mrss_total", float(total), "points", s.date, "SCR")


_SECTION_OF: dict[str, str] = {
    code: section.slug
    for section in FINDING_SECTIONS
    if section.role == RECIPIENT
    for code in section.codes
}


def _history(p: Participant, cutoff: datetime.date) -> Iterator[MedicalHistory]:
    from sclerocell.facts import codes

    yield MedicalHistory(
        p.code,
        "Systemic sclerosis",
        "systemic_sclerosis",
        "PRIMARY DIAGNOSIS",
        True,
        p.screening_date,
    )
    rows = sorted(p.screening_findings.all(), key=lambda row: row.code)
    for row in (row for row in rows if row.answer):
        section = _SECTION_OF.get(row.code)
        if section not in MH_CATEGORIES or row.code in TESTS:
            continue
        if row.date is not None and row.date > cutoff:
            continue
        label = codes.label(row.code).render("en")
        yield MedicalHistory(
            p.code,
            label[:1].upper() + label[1:],
            row.code,
            MH_CATEGORIES[section],
            row.answer == "yes",
            row.date,
        )


def _study(sites: list[Site], cutoff: datetime.date) -> Study:
    amendment = (
        ProtocolAmendment.objects.filter(effective_from__lte=cutoff)
        .order_by("-effective_from", "-pk")
        .first()
    )
    return Study(
        protocol_version=amendment.version if amendment else "",
        sites=tuple(StudySite(s.number, s.name, s.city) for s in sites),
    )


def read(participants: QuerySet[Participant], *, cutoff: datetime.date) -> ClinicalData:
    """The recipients of ``participants`` and their data up to ``cutoff``, as plain records."""
    recipients = list(
        participants.filter(kind=ParticipantKind.RECIPIENT, screening_date__lte=cutoff)
        .select_related("site", "enrolment")
        .prefetch_related(
            "consents",
            "screening_measurements",
            "screening_blood_pressures",
            "screening_skin_scores",
            "screening_findings",
        )
        .order_by("code")
    )
    sites = sorted({p.site.pk: p.site for p in recipients}.values(), key=lambda s: s.number)
    study_sites = {s.pk: StudySite(s.number, s.name, s.city) for s in sites}
    subjects = tuple(_subject(p, study_sites[p.site_id], cutoff) for p in recipients)
    infusions = (
        Infusion.objects.filter(recipient__in=recipients)
        .select_related("recipient", "batch")
        .prefetch_related("vital_signs")
        .order_by("recipient__code")
    )
    exposures: list[Exposure] = []
    findings: list[Finding] = []
    questionnaires: list[QuestionnaireItem] = []
    for infusion in infusions:
        exposure = _exposure(infusion, cutoff)
        if exposure is not None:
            exposures.append(exposure)
            findings.extend(_infusion_vitals(infusion))
    history: list[MedicalHistory] = []
    for p in recipients:
        findings.extend(_screening(p, cutoff))
        history.extend(_history(p, cutoff))
    visits = list(
        Visit.objects.filter(participant__in=recipients, visit_date__lte=cutoff)
        .select_related("participant")
        .order_by("participant__code", "visit_date", "pk")
    )
    forms: dict[int, dict[str, Any]] = {v.pk: {} for v in visits}
    for code in ("vitals", "labs", "pft", "mrss", "haq"):
        for form in FORM_MODELS[code].objects.filter(visit__in=visits):
            forms[form.visit_id][code] = form
    for visit in visits:
        for record in _follow_up(visit, forms[visit.pk]):
            if record.date > cutoff:
                continue
            if isinstance(record, QuestionnaireItem):
                questionnaires.append(record)
            else:
                findings.append(record)
    events = (
        AdverseEventRow.objects.filter(participant__in=recipients, onset_date__lte=cutoff)
        .select_related("participant")
        .order_by("participant__code", "number")
    )
    return ClinicalData(
        study=_study(sites, cutoff),
        subjects=subjects,
        exposures=tuple(exposures),
        adverse_events=tuple(_adverse_event(e, cutoff) for e in events),
        findings=tuple(findings),
        questionnaires=tuple(questionnaires),
        history=tuple(history),
    )


# --- The two exports ---------------------------------------------------------------------------


def write_sdtm(
    out_dir: pathlib.Path, participants: QuerySet[Participant], *, cutoff: datetime.date
) -> list[pathlib.Path]:
    """DM, DS, EX, AE, VS, LB, QS, MH as XPT v5 files, and define.xml, in ``out_dir``."""
    data = read(participants, cutoff=cutoff)
    written = sdtm.write(data, out_dir)
    define = define_xml.write(data, written.datasets, out_dir, created=timezone.now())
    return [*written.files, define]


def write_fhir(
    out_dir: pathlib.Path, participants: QuerySet[Participant], *, cutoff: datetime.date
) -> list[pathlib.Path]:
    """One FHIR R4 collection bundle (JSON) in ``out_dir``."""
    data = read(participants, cutoff=cutoff)
    return [fhir.write(data, out_dir, created=timezone.now())]
