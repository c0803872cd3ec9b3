"""Analysis tables: CSV and Parquet give back the values and types written, one row per
subject × visit × instance; the NA convention holds; the dictionary lists every column."""

from __future__ import annotations

import csv
import datetime
import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sclerocell.exchange import tables
from sclerocell.exchange.crf import FormRecord
from tests.core.exchange import factories


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tables")
    tables.write_tables(out, factories.extract())
    return out


def _expected(form: str) -> list[dict[str, object]]:
    rows = []
    for record in factories.extract().records:
        if record.form != form:
            continue
        columns = factories.extract().form(form).columns
        values = {c.name: record.values.get(c.name) for c in columns}
        values = {k: (None if v == "" else v) for k, v in values.items()}
        rows.append(
            {
                "subject": record.subject,
                "site": f"{record.site:02d}",
                "visit": record.visit,
                "instance": record.instance,
                "visit_date": record.visit_date,
                "status": record.status,
                **values,
            }
        )
    return sorted(rows, key=lambda r: (r["subject"], r["visit_date"]))  # type: ignore[return-value, arg-type]


def test_it_writes_csv_parquet_a_dictionary_and_a_manifest(written: Path) -> None:
    names = sorted(p.name for p in written.iterdir())
    for table in ("subjects", "vitals", "labs", "dictionary"):
        assert f"{table}.csv" in names and f"{table}.parquet" in names
    manifest = json.loads((written / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"] == {
        "subjects": 3,
        "vitals": 3,
        "labs": 2,
        "dictionary": manifest["tables"]["dictionary"],
    }
    assert manifest["keys"]["forms"] == ["subject", "visit", "instance"]
    assert set(manifest["files"]) == {n for n in names if n != "manifest.json"}


@pytest.mark.parametrize("form", ["vitals", "labs"])
def test_parquet_gives_back_the_values_with_their_types(written: Path, form: str) -> None:
    assert tables.read_parquet(written / f"{form}.parquet") == _expected(form)


@pytest.mark.parametrize("form", ["vitals", "labs"])
def test_csv_gives_back_the_same_values_read_with_the_dictionary(written: Path, form: str) -> None:
    table = tables.form_table(factories.extract().form(form))
    assert tables.read_csv(written / f"{form}.csv", table) == _expected(form)


def test_parquet_columns_have_exact_types(written: Path) -> None:
    schema = pq.read_schema(written / "vitals.parquet")
    assert schema.field("systolic_bp").type == pa.int32()
    assert schema.field("weight").type == pa.decimal128(4, 1)
    assert schema.field("sample_date").type == pa.date32()
    assert schema.field("oedema").type == pa.bool_()
    assert schema.field("subject").nullable is False
    assert schema.field("weight").metadata[b"unit"] == b"kg"
    assert schema.metadata[b"cutoff"] == b"2015-12-31"


def test_one_row_per_subject_visit_and_instance(written: Path) -> None:
    rows = tables.read_parquet(written / "vitals.parquet")
    keys = [(r["subject"], r["visit"], r["instance"]) for r in rows]
    assert keys == [("01-R001-5", "BL", 1), ("01-R001-5", "UNS", 1), ("01-R001-5", "UNS", 2)]


def test_two_records_with_the_same_key_are_refused(tmp_path: Path) -> None:
    extract = factories.extract()
    first = extract.records[0]
    twin = FormRecord(
        first.form,
        first.subject,
        first.site,
        first.visit,
        first.instance,
        first.visit_date,
        "draft",
        {},
    )
    broken = type(extract)(**{**extract.__dict__, "records": (*extract.records, twin)})
    with pytest.raises(ValueError, match="subject × visit × instance"):
        tables.write_tables(tmp_path, broken)


def test_csv_missing_is_an_empty_field_and_nothing_else(written: Path) -> None:
    with (written / "labs.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    baseline, month3 = rows
    assert baseline["comment"] == "NA"  # a text, not a missing value
    assert baseline["crp_value"] == "12.500"
    assert month3["crp_value"] == "" and month3["crp_unit"] == "" and month3["grade"] == ""
    text = (written / "vitals.csv").read_text(encoding="utf-8")
    assert "NaN" not in text and "None" not in text and "nan" not in text.lower()
    line = text.splitlines()[1].split(",")
    assert line[-1] == "0"  # a boolean is 1/0


def test_a_formula_like_text_is_neutralised_in_csv_only(written: Path) -> None:
    with (written / "labs.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[1]["comment"] == "'=1+1, said the lab"
    parquet = tables.read_parquet(written / "labs.parquet")
    assert parquet[1]["comment"] == "=1+1, said the lab"


def test_decimals_are_fixed_point_with_the_columns_decimals() -> None:
    column = factories.LABS.column("crp_value")
    assert tables.csv_cell(column, Decimal("1E+1")) == "10.000"
    assert tables.parse_csv_cell(column, "10.000") == Decimal("10.000")


def test_subjects_table_keeps_dates_and_codes(written: Path) -> None:
    rows = {r["subject"]: r for r in tables.read_parquet(written / "subjects.parquet")}
    assert rows["01-R001-5"]["infusion_date"] == datetime.date(2015, 4, 15)
    assert rows["01-D001-8"]["recipient"] == "01-R001-5"
    assert rows["02-R001-3"]["end_cause"] == "withdrawal"
    assert rows["01-R001-5"]["end_cause"] is None


def test_the_dictionary_lists_every_column_with_type_unit_and_codes(written: Path) -> None:
    dictionary = tables.read_parquet(written / "dictionary.parquet")
    listed = {(r["table"], r["column"]) for r in dictionary}
    for name in ("subjects", "vitals", "labs"):
        columns = pq.read_schema(written / f"{name}.parquet").names
        assert {(name, c) for c in columns} <= listed
    by_column = {(r["table"], r["column"]): r for r in dictionary}
    weight = by_column[("vitals", "weight")]
    assert (weight["type"], weight["unit"], weight["parquet_type"]) == (
        "decimal",
        "kg",
        "decimal128(4, 1)",
    )
    assert (weight["minimum"], weight["maximum"], weight["decimals"]) == ("20", "250", "1")
    assert by_column[("labs", "crp_unit")]["codes"] == "mg/L=mg/L | mg/dL=mg/dL"
    assert by_column[("vitals", "oedema")]["codes"] == "1=yes | 0=no"
    assert by_column[("vitals", "subject")]["key"] == "yes"
    assert by_column[("labs", "grade")]["codes_fr"] == "0=normal | 1=léger"
    assert by_column[("labs", "crp_std")]["derived"].startswith("crp_value converted")
    assert by_column[("labs", "crp_value")]["derived"] is None
    csv_rows = list(csv.DictReader((written / "dictionary.csv").open(encoding="utf-8")))
    assert len(csv_rows) == len(dictionary)
