"""FHIR R4 bundle: parsed strictly by the FHIR 4.0.1 models, references resolve inside the
bundle, patients are pseudonymised, observations and adverse events are coded."""

from __future__ import annotations

import dataclasses
import datetime
import json
import pathlib
from typing import Any

import pytest
from fhirclient.models.bundle import Bundle
from fhirclient.models.fhirabstractbase import FHIRValidationError

from sclerocell.clinical import haq
from sclerocell.exchange import fhir
from sclerocell.exchange.clinical_records import QuestionnaireItem
from tests.core.exchange.standards_sample import A, B, sample

CREATED = datetime.datetime(2016, 1, 5, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = fhir.write(sample(), tmp_path_factory.mktemp("fhir"), created=CREATED)
    assert path.name == "fhir-bundle.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def of_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return list(fhir.resources(bundle, kind))


def patient_url(bundle: dict[str, Any], code: str) -> str:
    return next(
        e["fullUrl"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Patient"
        and e["resource"]["identifier"][0]["value"] == code
    )


def test_the_written_file_parses_strictly_as_a_fhir_r4_bundle(written: dict[str, Any]) -> None:
    bundle = Bundle(written, strict=True)
    assert bundle.type == "collection"
    kinds = {e.resource.resource_type for e in bundle.entry}
    assert kinds >= {
        "ResearchStudy",
        "ResearchSubject",
        "Patient",
        "Observation",
        "AdverseEvent",
        "MedicationAdministration",
        "Location",
    }


def test_every_reference_resolves_inside_the_bundle(written: dict[str, Any]) -> None:
    urls = {e["fullUrl"] for e in written["entry"]}
    found = list(fhir.references(written))
    assert found
    assert set(found) <= urls
    assert all(url.startswith("urn:uuid:") for url in urls)


def test_a_patient_has_no_name_and_only_a_birth_year(written: dict[str, Any]) -> None:
    patients = of_type(written, "Patient")
    assert len(patients) == 2
    for patient in patients:
        assert "name" not in patient and "address" not in patient and "telecom" not in patient
        assert len(patient["birthDate"]) == 4
        assert patient["meta"]["security"][0]["code"] == "PSEUDED"
    (a,) = (p for p in patients if p["identifier"][0]["value"] == A)
    assert (a["birthDate"], a["gender"]) == ("1970", "female")
    assert a["identifier"] == [
        {"system": "https://sclerocell.example.org/fhir/study-code", "value": A}
    ]


def test_the_study_carries_its_registry_number_phase_and_sites(written: dict[str, Any]) -> None:
    (study,) = of_type(written, "ResearchStudy")
    assert {"system": "https://clinicaltrials.gov", "value": "NCT02213705"} in study["identifier"]
    assert study["phase"]["coding"][0]["code"] == "phase-1-phase-2"
    assert study["status"] == "active"
    assert len(study["site"]) == 2
    assert [arm["name"] for arm in study["arm"]] == ["DL1", "DL2"]


def test_each_participant_is_a_research_subject_of_the_study(written: dict[str, Any]) -> None:
    subjects = {s["identifier"][0]["value"]: s for s in of_type(written, "ResearchSubject")}
    assert subjects[A]["status"] == "on-study"
    assert subjects[A]["actualArm"] == "DL1"
    assert subjects[B]["status"] == "withdrawn"
    assert "actualArm" not in subjects[B]
    assert subjects[B]["individual"]["reference"] == patient_url(written, B)


def test_observations_are_coded_in_loinc_or_the_local_system_with_ucum_units(
    written: dict[str, Any],
) -> None:
    observations = of_type(written, "Observation")
    by_code = {o["code"]["coding"][-1]["code"]: o for o in observations}
    systolic = by_code["systolic_bp"]
    assert systolic["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "8480-6",
        "display": "Systolic blood pressure",
    }
    assert systolic["valueQuantity"]["code"] == "mm[Hg]"
    assert systolic["category"][0]["coding"][0]["code"] == "vital-signs"
    fvc = by_code["fvc_pct_pred"]
    assert fvc["code"]["coding"][0]["code"] == "19872-1"
    dlco = by_code["dlco_pct_pred"]
    assert [c["system"] for c in dlco["code"]["coding"]] == [
        "https://sclerocell.example.org/fhir/CodeSystem/test"
    ]
    mrss = by_code["mrss_total"]
    assert (mrss["valueQuantity"]["value"], mrss["valueQuantity"]["code"]) == (24, "{score}")
    creatinine = by_code["creatinine"]
    assert creatinine["valueQuantity"]["code"] == "umol/L"
    assert creatinine["referenceRange"][0]["high"]["value"] == 97.262
    temperature = by_code["temperature"]
    assert temperature["valueQuantity"]["code"] == "Cel"
    haq = by_code["dress"]
    assert (haq["valueInteger"], haq["category"][0]["coding"][0]["code"]) == (2, "survey")


def test_adverse_events_carry_meddra_grade_seriousness_and_the_suspect_infusion(
    written: dict[str, Any],
) -> None:
    reaction, infection = sorted(
        of_type(written, "AdverseEvent"), key=lambda e: e["identifier"]["value"]
    )
    assert reaction["event"]["coding"][0] == {
        "system": "http://terminology.hl7.org/CodeSystem/mdr",
        "code": "10051792",
        "display": "Infusion related reaction",
    }
    assert reaction["seriousness"]["coding"][0]["code"] == "non-serious"
    assert infection["seriousness"]["coding"][0]["code"] == "serious"
    assert [c["code"] for c in infection["severity"]["coding"]] == ["severe", "3"]
    assert infection["outcome"]["coding"][0]["code"] == "recovering"
    (administration,) = of_type(written, "MedicationAdministration")
    suspect = infection["suspectEntity"][0]
    assert suspect["instance"]["reference"] == f"urn:uuid:{administration['id']}"
    assert suspect["causality"][0]["assessment"]["coding"][0]["code"] == "Possible"
    assert reaction["subject"]["reference"] == patient_url(written, A)


def test_the_same_data_give_the_same_bundle(tmp_path: pathlib.Path) -> None:
    first = fhir.build(sample(), created=CREATED)
    second = fhir.build(sample(), created=CREATED)
    assert first == second


def test_a_resource_the_models_refuse_stops_the_export() -> None:
    bundle = fhir.build(sample(), created=CREATED)
    bundle["entry"][0]["resource"]["colour"] = "blue"
    with pytest.raises(ValueError, match="models refuse") as refused:
        fhir.validate(bundle)
    assert isinstance(refused.value.__cause__, FHIRValidationError)
    del bundle["entry"][0]["resource"]["colour"]
    bundle["entry"].pop(0)  # the Location the study points to
    with pytest.raises(ValueError, match="outside the bundle"):
        fhir.validate(bundle)


def test_the_haq_di_index_is_an_observation_when_it_can_be_computed() -> None:
    data = sample()
    day = datetime.date(2015, 4, 14)
    items = tuple(
        QuestionnaireItem(A, "HAQ-DI", c.items[0].id, c.items[0].label_en, 1, day, "BL", "")
        for c in haq.CATEGORIES
    )
    bundle = fhir.build(dataclasses.replace(data, questionnaires=items), created=CREATED)
    (index,) = (
        o
        for o in fhir.resources(bundle, "Observation")
        if o["code"]["coding"][0]["code"] == "index"
    )
    assert index["valueQuantity"]["value"] == 1
    assert index["effectiveDateTime"] == "2015-04-14"
