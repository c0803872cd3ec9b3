"""The screening input file: facts with source row ids, units converted, errors at the field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sclerocell.facts.screening_input import InputError, load, parse

from .build import EXAMPLES


def base(**extra: Any) -> dict[str, Any]:
    return {"role": "recipient", "subject_id": "R-0009", **extra}


def errors(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        parse(data)
    return {e.path: e.message.en for e in caught.value.errors}


def test_it_reads_the_example_files() -> None:
    recipient = load(EXAMPLES / "recipient.json")
    assert recipient.role == "recipient"
    assert recipient.index_date is not None
    ids = [f.source_row_id for f in recipient.facts]
    assert len(ids) == len(set(ids))
    assert {f.subject_id for f in recipient.facts} == {"R-0001"}
    assert load(EXAMPLES / "donor.json").role == "donor"


def test_it_converts_units_and_keeps_the_value_as_measured() -> None:
    data = parse(
        base(
            measurements=[
                {"id": "abg", "code": "pao2", "date": "2024-05-01", "value": 8, "unit": "kPa"},
                {
                    "id": "cr",
                    "code": "creatinine",
                    "date": "2024-05-01",
                    "value": 1.0,
                    "unit": "mg/dL",
                    "ref_high": 1.1,
                },
            ]
        )
    )
    pao2, creat = data.facts
    assert pao2.unit == "mmHg" and pao2.value_text == "8 kPa"
    assert pao2.value_num == pytest.approx(60.005, abs=1e-3)
    assert creat.value_num == 88.42 and creat.ref_high == pytest.approx(97.262)


def test_it_turns_person_attributes_and_records_into_facts() -> None:
    data = parse(
        base(
            person={"sex": "femme", "birth_month": "1976-09", "social_security": True},
            blood_pressures=[
                {
                    "id": "bp",
                    "date": "2024-05-01",
                    "time": "08:30",
                    "systolic": 170,
                    "diastolic": 95,
                }
            ],
            mrss=[{"id": "m", "date": "2024-05-01", "sites": {"face": 2, "abdomen": 1}}],
            findings=[
                {"id": "f", "code": "ild_on_imaging", "status": "absent", "date": "2024-01-01"}
            ],
            exposures=[{"id": "x", "code": "cyclophosphamide_iv_high_dose", "status": "never"}],
            statements=[{"id": "s", "code": "poor_compliance_risk", "answer": "no", "by": "Dr X"}],
            consents=[{"id": "c", "status": "signed", "date": "2024-05-02"}],
            donors=[{"id": "D-1", "relationship": "spouse", "consent_signed": None}],
        )
    )
    got = {f.source_row_id: f for f in data.facts}
    assert got["person.sex"].value_text == "F"
    assert got["person.birth_month"].date is not None and got["person.birth_month"].date.day == 1
    assert got["bp.sbp"].value_num == 170 and got["bp.dbp"].time is not None
    assert got["m.face"].value_num == 2
    assert got["f"].value_num == 0
    assert got["x"].value_num == 0 and got["x"].date is None
    assert got["s"].source == "Dr X"
    assert got["c"].code == "informed_consent"
    assert got["D-1.consent"].value_num == 0  # listed, not (yet) consenting
    assert data.donors[0].relationship == "spouse"


def test_it_records_an_empty_donor_list_as_no_donor() -> None:
    (only,) = parse(base(donors=[])).facts
    assert only.code == "consenting_donor" and only.value_num == 0


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        (
            base(measurements=[{"code": "nope", "date": "2024-01-01", "value": 1}]),
            "measurements[0].code",
            "unknown code 'nope'",
        ),
        (
            base(measurements=[{"code": "ild_on_imaging", "date": "2024-01-01", "value": 1}]),
            "measurements[0].code",
            "is not a measurement",
        ),
        (
            base(
                measurements=[
                    {"code": "creatinine", "date": "2024-01-01", "value": 1, "unit": "kg"}
                ]
            ),
            "measurements[0].unit",
            "not a unit of creatinine",
        ),
        (
            base(measurements=[{"code": "weight", "date": "2024-01-01", "value": "heavy"}]),
            "measurements[0].value",
            "expected a number",
        ),
        (base(person={"birth_month": "1976-13"}), "person.birth_month", "expected a month"),
        (base(person={"sex": "?"}), "person.sex", "expected sex"),
        (base(person={"eye_colour": "blue"}), "person.eye_colour", "unknown field"),
        (
            base(findings=[{"code": "ild_on_imaging", "status": "maybe"}]),
            "findings[0].status",
            "expected one of",
        ),
        (
            base(mrss=[{"date": "2024-01-01", "sites": {"face": 4}}]),
            "mrss[0].sites.face",
            "whole score 0 to 3",
        ),
        (base(mrss=[{"date": "2024-01-01"}]), "mrss[0]", "either 'total' or 'sites'"),
        (
            base(
                statements=[
                    {"id": "a", "code": "poor_compliance_risk", "answer": "yes"},
                    {"id": "a", "code": "poor_compliance_risk", "answer": "no"},
                ]
            ),
            "statements[1].id",
            "duplicate id",
        ),
        ({"role": "recipient"}, "subject_id", "study code required"),
        (base(role="patient"), "role", "expected role"),
    ],
)
def test_it_reports_each_error_at_its_field(data: dict[str, Any], path: str, message: str) -> None:
    found = errors(data)
    assert path in found, found
    assert message in found[path]


def test_it_reports_errors_in_both_languages_and_keeps_nothing(tmp_path: Any) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(base(measurements=[{"code": "weight", "value": 70}])))
    with pytest.raises(InputError) as caught:
        load(bad)
    (error,) = caught.value.errors
    assert error.path == "measurements[0].date"
    assert error.message.fr == "champ obligatoire"


def test_it_reports_invalid_json_with_its_line(tmp_path: Any) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{\n  'role': }")
    with pytest.raises(InputError, match="invalid JSON"):
        load(bad)
