"""CDISC ODM 1.3.2: the file validates against the official XSD, round-trips every value, and
carries its audit records; a broken file is refused."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from sclerocell.exchange import odm
from tests.core.exchange import factories

CREATED = datetime.datetime(2016, 1, 5, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def document() -> bytes:
    return odm.build_odm(factories.extract(), created=CREATED, file_oid="EXPORT.test")


def test_it_validates_against_the_odm_132_schema(document: bytes) -> None:
    assert odm.validate(document) == []
    assert b'ODMVersion="1.3.2"' in document


def test_it_round_trips_every_entered_value(document: bytes) -> None:
    content = odm.read_odm(document)
    extract = factories.extract()
    assert len(content.forms) == len(extract.records)
    for record in extract.records:
        found = content.form(record.subject, record.visit, record.form, record.instance)
        form = extract.form(record.form)
        entered = {
            c.name: record.values[c.name]
            for c in form.columns
            if not c.derived and record.values.get(c.name) not in (None, "")
        }
        assert found.values == entered, record.key
        assert found.site == f"{record.site:02d}"


def test_values_keep_their_types(document: bytes) -> None:
    content = odm.read_odm(document)
    baseline = content.form("01-R001-5", "BL", "vitals")
    assert baseline.values["weight"] == Decimal("61.5")
    assert baseline.values["oedema"] is False
    assert baseline.values["sample_date"] == datetime.date(2015, 4, 10)
    assert content.form("02-R001-3", "BL", "labs").values["grade"] == 1


def test_unscheduled_visits_are_repeat_keys(document: bytes) -> None:
    content = odm.read_odm(document)
    assert content.form("01-R001-5", "UNS", "vitals", 2).values["systolic_bp"] == 118
    assert b'StudyEventRepeatKey="2"' in document


def test_audit_records_name_who_when_why_and_the_source_event(document: bytes) -> None:
    content = odm.read_odm(document)
    assert [a.id for a in content.audit_records] == [f"AR.{n}" for n in range(10, 17)]
    correction = content.audit_records[1]
    assert correction.user == "USR.2" and content.users["USR.2"] == "investigator_a"
    assert correction.reason == "transcription error"
    assert correction.location == "LOC.01"
    assert correction.timestamp == factories.AT + datetime.timedelta(minutes=11)
    assert "seq=11" in correction.source and "table=followup_vitals" in correction.source
    assert content.users["USR.system"] == "system"


def test_each_value_carries_the_audit_record_of_its_latest_change(document: bytes) -> None:
    text = document.decode()
    weight = text.index('ItemOID="IT.vitals.weight" Value="61.5"')
    nearest = text[weight : text.index("</ItemData>", weight)]
    assert "transcription error" in nearest and 'UserOID="USR.2"' in nearest


def test_derived_columns_stay_out_of_the_odm_file(document: bytes) -> None:
    assert b"crp_std" not in document
    assert odm.read_odm(document).form("02-R001-3", "BL", "labs").values["crp_value"] == Decimal(
        "12.500"
    )


def test_metadata_declares_units_code_lists_and_range_checks(document: bytes) -> None:
    text = document.decode()
    assert '<MeasurementUnit OID="MU.02" Name="mmHg">' in text
    assert 'CodeList OID="CL.labs.crp_unit" Name="labs.crp_unit" DataType="text"' in text
    assert 'CodeList OID="CL.labs.grade" Name="labs.grade" DataType="integer"' in text
    assert '<RangeCheck Comparator="GE" SoftHard="Soft">' in text
    assert (
        'StudyEventDef OID="SE.UNS" Name="Unscheduled" Repeating="Yes" Type="Unscheduled"' in text
    )
    assert '<TranslatedText xml:lang="fr">pression systolique</TranslatedText>' in text


def test_a_schema_violation_is_refused(document: bytes) -> None:
    broken = document.replace(
        b'Repeating="No" Type="Scheduled"', b'Repeating="Maybe" Type="Scheduled"', 1
    )
    errors = odm.validate(broken)
    assert errors and any("Maybe" in e for e in errors)
    with pytest.raises(odm.OdmInvalidError):
        odm.validate_or_raise(broken)


def test_an_element_out_of_place_is_refused(document: bytes) -> None:
    broken = document.replace(b"<GlobalVariables>", b"<GlobalVariables><Bogus/>", 1)
    assert odm.validate(broken)


def test_a_dangling_reference_or_a_value_outside_its_code_list_is_refused(document: bytes) -> None:
    dangling = document.replace(
        b'ItemOID="IT.vitals.weight" Value', b'ItemOID="IT.vitals.height" Value', 1
    )
    assert any("IT.vitals.height" in e for e in odm.validate(dangling))
    outside = document.replace(b'Value="mg/L"', b'Value="g/L"', 1)
    assert any("code list" in e for e in odm.validate(outside))
    not_a_number = document.replace(b'Value="61.5"', b'Value="61,5"', 1)
    assert any("decimal" in e for e in odm.validate(not_a_number))


def test_malformed_xml_is_refused() -> None:
    assert odm.validate(b"<ODM") != []
