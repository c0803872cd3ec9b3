"""Reading the database for an export: the declarations match the data dictionary of the forms,
keys are subject × visit × instance, the cut-off holds, and only the participants passed in."""

from __future__ import annotations

import datetime
from decimal import Decimal

from sclerocell.web.exports import extract
from sclerocell.web.followup.definitions import FORMS, data_dictionary
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.exports.conftest import CUTOFF, Data


def test_the_columns_are_the_forms_fields_with_the_dictionarys_types_units_and_codes() -> None:
    forms = {f.code: f for f in extract.form_defs()}
    assert list(forms) == list(FORMS)
    types = {
        "integer": "integer",
        "decimal": "decimal",
        "boolean": "boolean",
        "choice": "code",
        "date": "date",
        "text": "text",
    }
    for row in data_dictionary():
        column = forms[row["form"]].column(row["field"])
        assert column.type.value == types[row["type"]], row
        assert column.label_en == row["label_en"] and column.label_fr == row["label_fr"]
        if row["unit"] and not row["unit"].startswith("see "):
            assert column.unit == row["unit"], row
        if row["codes"] and row["type"] != "boolean":
            assert " | ".join(f"{c.value}={c.label_en}" for c in column.codes) == row["codes"]
    entered = [c for f in forms.values() for c in f.columns if not c.derived]
    assert len(entered) == len(list(data_dictionary()))
    derived = [c.name for f in forms.values() for c in f.columns if c.derived]
    assert derived == [f"{lab.analyte}_std" for lab in FORMS["labs"].labs]


def test_lab_values_are_also_given_in_the_protocols_unit(data: Data) -> None:
    records = extract.form_records(Participant.objects.all(), CUTOFF)
    labs = next(r for r in records if r.form == "labs")
    assert labs.values["creatinine_value"] == Decimal("1.000")
    assert labs.values["creatinine_std"] == Decimal("88.420")  # 1 mg/dL × 88.42 µmol/L
    assert labs.values["crp_std"] == Decimal("4.200")  # already mg/L
    assert labs.values["platelets_std"] is None  # not measured
    column = next(f for f in extract.form_defs() if f.code == "labs").column("creatinine_std")
    assert column.unit == "µmol/L" and "converted from creatinine_unit" in column.derived


def test_records_are_keyed_by_subject_visit_and_instance(data: Data, personas: Personas) -> None:
    records = extract.form_records(Participant.objects.all(), CUTOFF)
    vitals = sorted((r.subject, r.visit, r.instance) for r in records if r.form == "vitals")
    a, b = data.followup.recipient_a.code, data.followup.recipient_b.code
    assert vitals == [(a, "BL", 1), (a, "UNS", 1), (a, "UNS", 2), (b, "BL", 1)]


def test_the_cutoff_leaves_out_later_visits_and_dates(data: Data) -> None:
    everyone = Participant.objects.all()
    assert all(r.visit_date <= CUTOFF for r in extract.form_records(everyone, CUTOFF))
    later = extract.form_records(everyone, datetime.date(2016, 12, 31))
    assert any(r.visit_date == data.late_b.visit_date for r in later)
    subjects = {s.code: s for s in extract.subjects(everyone, datetime.date(2015, 4, 1))}
    assert subjects[data.followup.recipient_a.code].infusion_date is None


def test_values_are_the_databases(data: Data) -> None:
    records = extract.form_records(Participant.objects.all(), CUTOFF)
    baseline = next(
        r
        for r in records
        if r.form == "vitals" and r.subject == data.followup.recipient_a.code and r.visit == "BL"
    )
    assert baseline.values["weight"] == Decimal("62.0") and baseline.values["systolic_bp"] == 120
    assert baseline.status == "verified"


def test_only_the_participants_passed_in_are_read(data: Data, personas: Personas) -> None:
    site_a = Participant.objects.filter(site=personas.site_a)
    read = extract.read(site_a, CUTOFF)
    assert {r.subject for r in read.records} == {data.followup.recipient_a.code}
    assert {s.code[:2] for s in read.subjects} == {"01"}
    assert {s.number for s in read.sites} == {1}
    assert all(e.site == 1 for e in read.audit)


def test_the_audit_entries_name_the_users_and_the_reasons(data: Data, personas: Personas) -> None:
    read = extract.read(Participant.objects.all(), CUTOFF)
    reasons = {e.reason for e in read.audit}
    assert "scale recalibrated" in reasons
    logins = {u.oid: u.login for u in read.users}
    assert logins[f"USR.{personas.nurse_a.pk}"] == "nurse_a"
    assert {e.user_oid for e in read.audit} <= set(logins)
