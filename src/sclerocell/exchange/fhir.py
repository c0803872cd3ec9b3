"""HL7 FHIR R4 (4.0.1) bundle of the trial: study, subjects, pseudonymised patients, their
observations, infusions and adverse events.

One ``collection`` Bundle. Every entry has a ``urn:uuid:`` full URL derived from the study's
namespace and the record's key (the same data give the same bundle), and every reference points
to an entry of the bundle. The bundle is checked with the FHIR 4.0.1 models of ``fhirclient``
(``strict=True``: unknown elements, wrong types and missing required elements are refused).

Pseudonymisation: a Patient carries the study code as its only identifier, a gender and a birth
year — no name, no full birth date, no address, no contact.

Coding: LOINC where a code is known for the test and its unit (checked against public LOINC
pages and implementation guides), otherwise the study's local code system
(``<namespace>/CodeSystem/test``); units in UCUM; adverse events in MedDRA (the CTCAE term's
code) with the CTCAE grade in a local code system beside the FHIR severity.
"""

from __future__ import annotations

import datetime
import json
import pathlib
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from .clinical_records import (
    AdverseEvent,
    ClinicalData,
    Exposure,
    Finding,
    QuestionnaireItem,
    Study,
    Subject,
)

JSON = dict[str, Any]
FILENAME = "fhir-bundle.json"

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
MEDDRA = "http://terminology.hl7.org/CodeSystem/mdr"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
STUDY_PHASE = "http://terminology.hl7.org/CodeSystem/research-study-phase"
AE_SERIOUSNESS = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
AE_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
AE_OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
AE_CAUSALITY = "http://terminology.hl7.org/CodeSystem/adverse-event-causality-assess"
SECURITY = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
CLINICALTRIALS = "https://clinicaltrials.gov"
ROUTE = "http://snomed.info/sct"

#: Study test → (LOINC code or "", display, UCUM code, observation category).
TESTS: dict[str, tuple[str, str, str, str]] = {
    "systolic_bp": ("8480-6", "Systolic blood pressure", "mm[Hg]", "vital-signs"),
    "diastolic_bp": ("8462-4", "Diastolic blood pressure", "mm[Hg]", "vital-signs"),
    "heart_rate": ("8867-4", "Heart rate", "/min", "vital-signs"),
    "temperature": ("8310-5", "Body temperature", "Cel", "vital-signs"),
    "spo2": (
        "59408-5",
        "Oxygen saturation in Arterial blood by Pulse oximetry",
        "%",
        "vital-signs",
    ),
    "weight": ("29463-7", "Body weight", "kg", "vital-signs"),
    "height": ("8302-2", "Body height", "cm", "vital-signs"),
    "creatinine": (
        "14682-9",
        "Creatinine [Moles/volume] in Serum or Plasma",
        "umol/L",
        "laboratory",
    ),
    "bilirubin": (
        "14631-6",
        "Bilirubin.total [Moles/volume] in Serum or Plasma",
        "umol/L",
        "laboratory",
    ),
    "alt": (
        "1742-6",
        "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
        "U/L",
        "laboratory",
    ),
    "ast": (
        "1920-8",
        "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
        "U/L",
        "laboratory",
    ),
    "crp": ("1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", "mg/L", "laboratory"),
    "haemoglobin": ("718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", "laboratory"),
    "leukocytes": (
        "6690-2",
        "Leukocytes [#/volume] in Blood by Automated count",
        "10*9/L",
        "laboratory",
    ),
    "neutrophils": (
        "751-8",
        "Neutrophils [#/volume] in Blood by Automated count",
        "10*9/L",
        "laboratory",
    ),
    "lymphocytes": (
        "731-0",
        "Lymphocytes [#/volume] in Blood by Automated count",
        "10*9/L",
        "laboratory",
    ),
    "eosinophils": ("", "Eosinophils", "10*9/L", "laboratory"),
    "platelets": (
        "777-3",
        "Platelets [#/volume] in Blood by Automated count",
        "10*9/L",
        "laboratory",
    ),
    "cd4_lymphocytes": (
        "24467-3",
        "CD3+CD4+ (T4 helper) cells [#/volume] in Blood",
        "10*6/L",
        "laboratory",
    ),
    "fvc_pct_pred": ("19872-1", "FVC measured/predicted", "%", "procedure"),
    "dlco_pct_pred": ("", "DLCO, % of predicted", "%", "procedure"),
    "tlc_pct_pred": ("", "TLC, % of predicted", "%", "procedure"),
    "mrss_total": ("", "Modified Rodnan skin score, total (0-51)", "{score}", "exam"),
}

#: Unit spellings of the forms → UCUM (the standard units of the export).
UCUM_UNITS: dict[str, str] = {
    "mmHg": "mm[Hg]",
    "/min": "/min",
    "°C": "Cel",
    "%": "%",
    "kg": "kg",
    "cm": "cm",
    "µmol/L": "umol/L",
    "g/dL": "g/dL",
    "10⁹/L": "10*9/L",
    "10⁶/L": "10*6/L",
    "mg/L": "mg/L",
    "U/L": "U/L",
    "points": "{score}",
}

SEVERITY = {1: "mild", 2: "moderate", 3: "severe", 4: "severe", 5: "severe"}
OUTCOME = {
    "recovered": "resolved",
    "recovering": "recovering",
    "not_recovered": "ongoing",
    "sequelae": "resolvedWithSequelae",
    "fatal": "fatal",
    "unknown": "unknown",
}
CAUSALITY = {
    "certain": ("Certain", "Certain"),
    "probable": ("Probably-Likely", "Probably/Likely"),
    "possible": ("Possible", "Possible"),
    "unlikely": ("Unlikely", "Unlikely"),
    "conditional": ("Conditional-Classified", "Conditional/Classified"),
    "unassessable": ("Unassessable-Unclassifiable", "Unassessable/Unclassifiable"),
}
SUBJECT_STATUS = {
    "completed": "off-study",
    "withdrawal": "withdrawn",
    "lost_to_follow_up": "off-study",
    "death": "off-study",
}


class Builder:
    """Resources of one bundle, with stable ``urn:uuid`` identities."""

    def __init__(self, study: Study) -> None:
        self.study = study
        self.entries: list[JSON] = []

    def system(self, name: str) -> str:
        return f"{self.study.namespace}/{name}"

    def urn(self, *key: object) -> str:
        name = "/".join(str(k) for k in (self.study.namespace, self.study.study_id, *key))
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"

    def add(self, resource: JSON, *key: object) -> str:
        url = self.urn(resource["resourceType"], *key)
        resource = {**resource, "id": url.removeprefix("urn:uuid:")}
        self.entries.append({"fullUrl": url, "resource": resource})
        return url

    def local(self, name: str, code: str, display: str = "") -> JSON:
        coding: JSON = {"system": self.system(f"CodeSystem/{name}"), "code": code}
        if display:
            coding["display"] = display
        return coding


def _date(day: datetime.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _instant(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _quantity(value: float, unit: str) -> JSON:
    """A UCUM quantity; a unit without a known UCUM code keeps its text only."""
    ucum = UCUM_UNITS.get(unit)
    if ucum is None:
        return {"value": _number(value), "unit": unit}
    return {"value": _number(value), "unit": unit, "system": UCUM, "code": ucum}


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def _clean(data: JSON) -> JSON:
    """Without the empty values FHIR forbids (None, "", [], {})."""
    out: JSON = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = _clean(value)
        elif isinstance(value, list):
            value = [_clean(v) if isinstance(v, dict) else v for v in value]
            value = [v for v in value if v not in (None, "", {}, [])]
        if value not in (None, "", {}, []):
            out[key] = value
    return out


def _study(b: Builder, data: ClinicalData) -> str:
    study = data.study
    locations = [
        b.add(
            _clean(
                {
                    "resourceType": "Location",
                    "identifier": [{"system": b.system("site"), "value": site.code}],
                    "name": site.name,
                    "address": {"city": site.city, "country": "FR"},
                }
            ),
            site.code,
        )
        for site in study.sites
    ]
    arms = sorted({(s.dose.arm_code, s.dose.arm) for s in data.subjects if s.dose})
    resource: JSON = {
        "resourceType": "ResearchStudy",
        "identifier": [
            {"system": CLINICALTRIALS, "value": study.nct_id},
            {"system": b.system("study"), "value": study.study_id},
        ],
        "title": study.title,
        "status": study.status,
        "phase": {
            "coding": [{"system": STUDY_PHASE, "code": study.phase, "display": "Phase 1/Phase 2"}]
        },
        "site": [{"reference": url} for url in locations],
        "arm": [{"name": code, "description": arm} for code, arm in arms],
    }
    if study.protocol_version:
        resource["note"] = [{"text": f"Protocol version {study.protocol_version}"}]
    return b.add(_clean(resource), study.study_id)


def _patient(b: Builder, s: Subject) -> str:
    return b.add(
        {
            "resourceType": "Patient",
            "meta": {
                "security": [{"system": SECURITY, "code": "PSEUDED", "display": "pseudonymized"}]
            },
            "identifier": [{"system": b.system("study-code"), "value": s.code}],
            "gender": {"F": "female", "M": "male"}[s.sex],
            "birthDate": f"{s.birth_year:04d}",
        },
        s.code,
    )


def _research_subject(b: Builder, s: Subject, study: str, patient: str) -> str:
    status = SUBJECT_STATUS[s.end_cause] if s.end_cause and s.end_date else "on-study"
    arm = s.dose.arm_code if s.dose else None
    return b.add(
        _clean(
            {
                "resourceType": "ResearchSubject",
                "identifier": [{"system": b.system("study-code"), "value": s.code}],
                "status": status,
                "period": {
                    "start": _date(s.inclusion_date or s.consent_date),
                    "end": _date(s.end_date),
                },
                "study": {"reference": study},
                "individual": {"reference": patient},
                "assignedArm": arm,
                "actualArm": arm if s.infusion_date else None,
            }
        ),
        s.code,
    )


def _administration(b: Builder, e: Exposure, patient: str, study: str) -> str:
    medication = b.add(
        {
            "resourceType": "Medication",
            "code": {
                "coding": [b.local("product", "msc", "Allogeneic bone-marrow MSC")],
                "text": "Allogeneic bone-marrow mesenchymal stromal cells",
            },
            "batch": {"lotNumber": e.batch},
        },
        e.batch,
    )
    return b.add(
        {
            "resourceType": "MedicationAdministration",
            "status": "completed",
            "medicationReference": {"reference": medication},
            "subject": {"reference": patient},
            "supportingInformation": [{"reference": study}],
            "effectivePeriod": {"start": _instant(e.started_at), "end": _instant(e.ended_at)},
            "dosage": {
                "text": f"{e.dose_cells_per_kg:.3g} cells/kg ({e.weight_kg:g} kg)",
                "route": {
                    "coding": [{"system": ROUTE, "code": "47625008", "display": "Intravenous"}]
                },
                "dose": {
                    "value": e.cells_infused,
                    "unit": "cells",
                    "system": UCUM,
                    "code": "{cells}",
                },
            },
        },
        e.subject,
        e.batch,
    )


def _observation_code(b: Builder, test: str) -> JSON:
    loinc, display, _unit, _category = TESTS.get(test, ("", test, "", "exam"))
    codings = [{"system": LOINC, "code": loinc, "display": display}] if loinc else []
    codings.append(b.local("test", test, display))
    return {"coding": codings, "text": display}


def _category(code: str) -> list[JSON]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": code}]}]


def _observation(b: Builder, f: Finding, patient: str, index: int) -> str:
    category = TESTS.get(f.test, ("", "", "", "exam"))[3]
    reference: JSON = {}
    if f.low is not None:
        reference["low"] = _quantity(f.low, f.unit)
    if f.high is not None:
        reference["high"] = _quantity(f.high, f.unit)
    note = " ".join(p for p in (f"visit {f.visit}" if f.visit else "", f.timepoint) if p)
    resource: JSON = {
        "resourceType": "Observation",
        "status": "final",
        "category": _category(category),
        "code": _observation_code(b, f.test),
        "subject": {"reference": patient},
        "effectiveDateTime": f.date.isoformat(),
        "valueQuantity": _quantity(f.value, f.unit),
        "referenceRange": [reference] if reference else [],
        "note": [{"text": note}] if note else [],
    }
    return b.add(_clean(resource), f.subject, f.test, f.date, f.visit, f.timepoint, index)


def _questionnaire_item(b: Builder, q: QuestionnaireItem, patient: str, index: int) -> str:
    resource: JSON = {
        "resourceType": "Observation",
        "status": "final",
        "category": _category("survey"),
        "code": {
            "coding": [b.local("haq-di", q.item, q.label)],
            "text": f"{q.questionnaire}: {q.label}",
        },
        "subject": {"reference": patient},
        "effectiveDateTime": q.date.isoformat(),
        "valueInteger": q.score,
        "note": [{"text": f"visit {q.visit}"}] if q.visit else [],
    }
    if q.score is None:
        resource["dataAbsentReason"] = {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                    "code": "not-asked",
                }
            ]
        }
    return b.add(_clean(resource), q.subject, q.item, q.date, q.visit, index)


def _haq_index(
    b: Builder, subject: str, visit: str, day: datetime.date, index: float, patient: str
) -> str:
    resource: JSON = {
        "resourceType": "Observation",
        "status": "final",
        "category": _category("survey"),
        "code": {
            "coding": [b.local("haq-di", "index", "HAQ-DI disability index")],
            "text": "HAQ-DI disability index (0-3)",
        },
        "subject": {"reference": patient},
        "effectiveDateTime": day.isoformat(),
        "valueQuantity": {
            "value": _number(index),
            "unit": "{score}",
            "system": UCUM,
            "code": "{score}",
        },
        "note": [{"text": f"visit {visit}"}] if visit else [],
    }
    return b.add(_clean(resource), subject, "haq-di-index", day, visit)


def _adverse_event(
    b: Builder, a: AdverseEvent, patient: str, study: str, administration: str | None
) -> str:
    event_codings = []
    if a.meddra_code:
        event_codings.append({"system": MEDDRA, "code": a.meddra_code, "display": a.term})
    event_codings.append(b.local(f"ctcae-{a.ctcae_version}", a.term, a.term))
    causality = CAUSALITY.get(a.relation_to_msc)
    suspect: list[JSON] = []
    if administration and a.relation_to_msc != "not_applicable":
        assessment = (
            {"coding": [{"system": AE_CAUSALITY, "code": causality[0], "display": causality[1]}]}
            if causality
            else {"coding": [b.local("causality", a.relation_to_msc)], "text": "not related"}
        )
        suspect.append(
            {"instance": {"reference": administration}, "causality": [{"assessment": assessment}]}
        )
    outcome: JSON = {"coding": [{"system": AE_OUTCOME, "code": OUTCOME[a.outcome]}]}
    if a.end_date:
        outcome["text"] = f"ended {a.end_date.isoformat()}"
    resource: JSON = {
        "resourceType": "AdverseEvent",
        "identifier": {"system": b.system("adverse-event"), "value": f"{a.subject}/{a.number}"},
        "actuality": "actual",
        "event": {"coding": event_codings, "text": a.term},
        "subject": {"reference": patient},
        "date": a.onset_date.isoformat(),
        "seriousness": {
            "coding": [
                {
                    "system": AE_SERIOUSNESS,
                    "code": "serious" if a.serious else "non-serious",
                    "display": "Serious" if a.serious else "Non-serious",
                }
            ]
        },
        "severity": {
            "coding": [
                {"system": AE_SEVERITY, "code": SEVERITY[a.grade]},
                b.local("ctcae-grade", str(a.grade), f"CTCAE grade {a.grade}"),
            ],
            "text": f"CTCAE v{a.ctcae_version} grade {a.grade}",
        },
        "outcome": outcome,
        "suspectEntity": suspect,
        "study": [{"reference": study}],
    }
    return b.add(_clean(resource), a.subject, a.number)


def build(data: ClinicalData, *, created: datetime.datetime) -> JSON:
    """The bundle as JSON, validated by the FHIR 4.0.1 models (raises when invalid)."""
    b = Builder(data.study)
    study = _study(b, data)
    patients: dict[str, str] = {}
    for s in data.subjects:
        patients[s.code] = _patient(b, s)
        _research_subject(b, s, study, patients[s.code])
    administrations: dict[str, str] = {}
    for e in data.exposures:
        if e.subject in patients:
            administrations[e.subject] = _administration(b, e, patients[e.subject], study)
    for i, f in enumerate(data.findings):
        if f.subject in patients:
            _observation(b, f, patients[f.subject], i)
    for i, q in enumerate(data.questionnaires):
        if q.subject in patients:
            _questionnaire_item(b, q, patients[q.subject], i)
    for subject, visit, day, index in data.haq_di():
        if subject in patients:
            _haq_index(b, subject, visit, day, index, patients[subject])
    for a in data.adverse_events:
        if a.subject in patients:
            _adverse_event(b, a, patients[a.subject], study, administrations.get(a.subject))
    bundle: JSON = {
        "resourceType": "Bundle",
        "id": b.urn("Bundle", created.date().isoformat()).removeprefix("urn:uuid:"),
        "type": "collection",
        "timestamp": _instant(created),
        "entry": b.entries,
    }
    return validate(bundle)


def validate(bundle: JSON) -> JSON:
    """Parse with the strict FHIR R4 models; return the models' JSON.

    Raises ``ValueError`` for a bundle the models refuse or a reference to no entry.
    """
    from fhirclient.models.bundle import Bundle
    from fhirclient.models.fhirabstractbase import FHIRValidationError

    try:
        parsed = Bundle(bundle, strict=True)
    except FHIRValidationError as error:
        raise ValueError(f"the FHIR R4 models refuse the bundle: {error}") from error
    dangling = sorted(set(references(bundle)) - {e["fullUrl"] for e in bundle.get("entry", [])})
    if dangling:
        raise ValueError(f"references outside the bundle: {dangling[:5]}")
    result: JSON = parsed.as_json()
    return result


def references(data: Any) -> Iterator[str]:
    """Every ``reference`` value found anywhere in ``data``."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "reference" and isinstance(value, str):
                yield value
            else:
                yield from references(value)
    elif isinstance(data, list):
        for item in data:
            yield from references(item)


def write(
    data: ClinicalData, directory: pathlib.Path, *, created: datetime.datetime
) -> pathlib.Path:
    directory.mkdir(parents=True, exist_ok=True)
    bundle = build(data, created=created)
    path = directory / FILENAME
    path.write_text(
        json.dumps(bundle, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    return path


def resources(bundle: JSON, resource_type: str) -> Iterable[JSON]:
    return (
        e["resource"]
        for e in bundle.get("entry", [])
        if e["resource"]["resourceType"] == resource_type
    )
