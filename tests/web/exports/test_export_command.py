"""``sclerocell export``: trial-wide or one site, audited as the system or as ``--as`` a user who
may export; the tables it writes give back the database's values and types."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from sclerocell.exchange import tables
from sclerocell.web.accounts.models import Site
from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.exports import actions, extract
from sclerocell.web.exports.models import DataExport
from sclerocell.web.followup.definitions import FORMS, Kind
from sclerocell.web.followup.models import FORM_MODELS
from tests.web.conftest import Personas
from tests.web.exports.conftest import CUTOFF, Data, make_data


def run(out: Path, *args: str) -> str:
    stdout = StringIO()
    call_command("export", "--out", str(out), "--cutoff", CUTOFF.isoformat(), *args, stdout=stdout)
    return stdout.getvalue()


def folder(out: Path) -> Path:
    (found,) = [p for p in out.iterdir() if p.is_dir()]
    return found


def test_it_exports_the_whole_trial_as_the_system(data: Data, tmp_path: Path) -> None:
    text = run(tmp_path, "--format", "tables")
    assert "sha256" in text
    subjects = tables.read_parquet(folder(tmp_path) / "tables" / "subjects.parquet")
    assert {s["site"] for s in subjects} == {"01", "02"}
    record = DataExport.objects.get()
    assert (record.requested_by, record.trial_wide, record.sites) == (None, True, "01,02")
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.table_name, event.action, event.actor_id, event.actor_username) == (
        "exports_dataexport",
        "export_data",
        None,
        "",
    )
    (zip_path,) = tmp_path.glob("*.zip")
    assert record.file_name == zip_path.name and record.sha256 in text
    manifest = json.loads((folder(tmp_path) / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["requested_by"] == "system" and manifest["cutoff"] == CUTOFF.isoformat()


def test_two_exports_into_one_folder_keep_both(data: Data, tmp_path: Path) -> None:
    run(tmp_path, "--format", "tables")
    run(tmp_path, "--format", "tables")
    assert len(list(tmp_path.glob("*.zip"))) == 2
    assert DataExport.objects.count() == 2


def test_site_restricts_the_export_to_one_site(data: Data, tmp_path: Path) -> None:
    run(tmp_path, "--format", "odm", "--site", "2")
    document = (folder(tmp_path) / "odm" / "sclerocell-odm.xml").read_text(encoding="utf-8")
    assert data.followup.recipient_b.code in document
    assert data.followup.recipient_a.code not in document
    assert DataExport.objects.get().sites == "02"


def test_as_records_the_user_and_keeps_to_their_sites(
    data: Data, personas: Personas, tmp_path: Path
) -> None:
    run(tmp_path, "--format", "tables", "--as", "data_manager_a")
    subjects = tables.read_parquet(folder(tmp_path) / "tables" / "subjects.parquet")
    assert {s["site"] for s in subjects} == {"01"}
    record = DataExport.objects.get()
    assert (record.requested_by, record.trial_wide) == (personas.data_manager_a, False)
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.actor_username == "data_manager_a"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as", "investigator_a"], "may not export"),
        (["--as", "nobody"], "no such user"),
        (["--as", "data_manager_a", "--site", "2"], "not one of the sites"),
    ],
)
def test_it_refuses_a_user_who_may_not_export_that(
    personas: Personas, tmp_path: Path, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run(tmp_path, "--format", "tables", *args)
    assert not DataExport.objects.exists()


def test_it_refuses_a_malformed_cutoff(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="expected YYYY-MM-DD"):
        call_command("export", "--format", "odm", "--out", str(tmp_path), "--cutoff", "31/12/2015")


def _database_rows(code: str) -> list[dict[str, Any]]:
    """The form's rows as the database holds them, keyed like the tables (''→ missing)."""
    spec = FORMS[code]
    instances = extract._instances(extract.Participant.objects.all())
    rows = []
    for row in (
        FORM_MODELS[code]
        .objects.filter(visit__visit_date__lte=CUTOFF)
        .select_related("visit__participant__site")
    ):
        visit = row.visit
        values = {
            f.name: (
                None
                if getattr(row, f.name) == "" and f.kind in (Kind.CHOICE, Kind.TEXT)
                else getattr(row, f.name)
            )
            for f in spec.fields
        }
        rows.append(
            {
                "subject": visit.participant.code,
                "site": f"{visit.participant.site.number:02d}",
                "visit": visit.code,
                "instance": instances.get(visit.pk, 1),
                "visit_date": visit.visit_date,
                "status": row.status,
                **values,
                **extract.standard_values(spec, values),
            }
        )
    return sorted(rows, key=lambda r: (r["subject"], r["visit_date"]))


@pytest.mark.parametrize("code", ["vitals", "pft", "mrss", "labs", "treatments"])
def test_the_tables_give_back_the_database_values_and_types(
    data: Data, tmp_path: Path, code: str
) -> None:
    run(tmp_path, "--format", "tables")
    out = folder(tmp_path) / "tables"
    expected = _database_rows(code)
    assert expected
    parquet = tables.read_parquet(out / f"{code}.parquet")
    assert parquet == expected
    for got, want in zip(parquet, expected, strict=True):
        assert {k: type(v) for k, v in got.items()} == {k: type(v) for k, v in want.items()}
    form = next(f for f in extract.form_defs() if f.code == code)
    assert tables.read_csv(out / f"{code}.csv", tables.form_table(form)) == expected
    keys = [(r["subject"], r["visit"], r["instance"]) for r in parquet]
    assert len(keys) == len(set(keys))


def test_the_dictionary_lists_every_column_of_every_table(data: Data, tmp_path: Path) -> None:
    run(tmp_path, "--format", "tables")
    out = folder(tmp_path) / "tables"
    dictionary = tables.read_parquet(out / "dictionary.parquet")
    listed = {(r["table"], r["column"]): r for r in dictionary}
    for code, spec in FORMS.items():
        for field in spec.fields:
            assert (code, field.name) in listed
        header = (out / f"{code}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        assert all((code, name) in listed for name in header)
    weight = listed[("vitals", "weight")]
    assert (weight["type"], weight["unit"]) == ("decimal", "kg")
    assert listed[("mrss", "face")]["codes"].startswith("0=0 — normal | 1=")
    assert listed[("labs", "crp_value")]["note"].startswith("in the unit of crp_unit")
    vitals = tables.read_parquet(out / "vitals.parquet")
    assert Decimal("62.0") in {v["weight"] for v in vitals}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_read_is_one_read_only_transaction(
    personas: Personas, tmp_path: Path
) -> None:
    with pytest.raises(DatabaseError, match="read-only"), actions.read_only_snapshot():
        Site.objects.create(number=9, name="Nowhere")
    make_data(personas)
    run(tmp_path, "--format", "all")  # outside any transaction: every writer reads read-only
    assert DataExport.objects.get().participants == 4
    assert {p.name for p in folder(tmp_path).iterdir()} >= {"tables", "odm", "sdtm", "fhir"}
