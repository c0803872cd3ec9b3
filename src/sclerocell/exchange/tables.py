"""Analysis-ready tables: one per outcome form, keyed subject × visit × instance, in CSV and
Parquet, with the data dictionary generated from the same declarations as the forms.

Files written by :func:`write_tables` (``<name>`` is ``subjects`` or a form code):

- ``<name>.parquet`` — typed: integers ``int32``, decimals ``decimal128(digits, decimals)``
  (exact, as the database holds them), booleans ``bool``, dates ``date32``, codes and text
  ``string``; a missing value is a Parquet null. Each field carries its unit and labels in its
  metadata.
- ``<name>.csv`` — UTF-8, comma-separated, one header line, ``\\n`` line ends. **NA convention**:
  a missing value is an empty field, and only that: no ``NA``, ``NaN`` or ``.`` is ever written
  for a missing value, and a text that reads ``NA`` is the text ``NA``. Booleans are ``1``/``0``,
  decimals are fixed-point with the column's decimals (never an exponent), dates ISO
  ``YYYY-MM-DD``. A free-text cell that a spreadsheet would run as a formula (starting with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``; the Parquet
  file keeps the text as entered.
- ``dictionary.csv`` / ``dictionary.parquet`` — one row per column of every table (the keys
  included): type, Parquet type, unit, limits, plausible range, decimals, code list, labels, and
  for a derived column (``Column.derived``) how it is computed.
- ``manifest.json`` — the cut-off, the row count and SHA-256 of every file.

In the database an unanswered code or text field is the empty string; here it is missing, like
an unanswered number.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .crf import Code, Column, ColumnType, Extract, FormDef, FormRecord, SubjectRecord, Value

__all__ = [
    "DICTIONARY_COLUMNS",
    "FORMULA_PREFIXES",
    "KEY_COLUMNS",
    "SUBJECTS",
    "TABLES_FORMAT",
    "Table",
    "arrow_schema",
    "csv_cell",
    "dictionary_rows",
    "form_table",
    "parse_csv_cell",
    "read_csv",
    "read_parquet",
    "subjects_table",
    "write_tables",
]

TABLES_FORMAT = "sclerocell.exchange.tables/1"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _key(
    name: str,
    type_: ColumnType,
    fr: str,
    en: str,
    *,
    codes: tuple[Code, ...] = (),
    note: str = "",
) -> Column:
    return Column(name, type_, fr, en, required=True, codes=codes, note=note)


#: The key and context columns that open every form table.
KEY_COLUMNS: tuple[Column, ...] = (
    _key("subject", ColumnType.TEXT, "code d'étude", "study code"),
    _key("site", ColumnType.TEXT, "centre", "site"),
    _key("visit", ColumnType.TEXT, "visite", "visit"),
    _key(
        "instance",
        ColumnType.INTEGER,
        "occurrence de la visite",
        "instance of the visit",
        note="1 for a protocol visit; the unscheduled visits (UNS) of a subject numbered in "
        "date order",
    ),
    _key("visit_date", ColumnType.DATE, "date de la visite", "visit date"),
    _key(
        "status",
        ColumnType.CODE,
        "état du formulaire",
        "form status",
        codes=(
            Code("draft", "brouillon", "draft"),
            Code("complete", "complet", "complete"),
            Code("verified", "vérifié sur source", "source data verified"),
            Code("signed", "signé", "signed"),
            Code("locked", "verrouillé", "locked"),
        ),
    ),
)
KEY_NAMES = ("subject", "visit", "instance")

SUBJECTS = FormDef(
    "subjects",
    "Participants",
    "Participants",
    (
        _key("subject", ColumnType.TEXT, "code d'étude", "study code"),
        _key("site", ColumnType.TEXT, "centre", "site"),
        _key(
            "kind",
            ColumnType.CODE,
            "type",
            "kind",
            codes=(Code("recipient", "receveur", "recipient"), Code("donor", "donneur", "donor")),
        ),
        _key(
            "sex",
            ColumnType.CODE,
            "sexe",
            "sex",
            codes=(Code("F", "femme", "female"), Code("M", "homme", "male")),
        ),
        _key("birth_year", ColumnType.INTEGER, "année de naissance", "year of birth"),
        _key("birth_month", ColumnType.INTEGER, "mois de naissance", "month of birth"),
        _key("screening_date", ColumnType.DATE, "date de pré-inclusion", "screening date"),
        Column("inclusion_date", ColumnType.DATE, "date d'inclusion", "inclusion date"),
        Column("infusion_date", ColumnType.DATE, "date de perfusion", "infusion date"),
        Column("end_date", ColumnType.DATE, "fin de participation", "end of participation"),
        Column(
            "end_cause",
            ColumnType.CODE,
            "cause de fin de participation",
            "cause of the end of participation",
            codes=(
                Code("completed", "étude terminée", "completed the study"),
                Code("withdrawal", "retrait", "withdrawal"),
                Code("lost_to_follow_up", "perdu de vue", "lost to follow-up"),
                Code("death", "décès", "death"),
            ),
        ),
        Column(
            "recipient",
            ColumnType.TEXT,
            "receveur du donneur",
            "the donor's recipient",
            note="donors only: the study code of their recipient",
        ),
    ),
)


@dataclass(frozen=True)
class Table:
    """One table: its name, its columns (keys first) and the names of its key columns."""

    name: str
    columns: tuple[Column, ...]
    keys: tuple[str, ...]
    title_fr: str = ""
    title_en: str = ""


def form_table(form: FormDef) -> Table:
    return Table(form.code, (*KEY_COLUMNS, *form.columns), KEY_NAMES, form.title_fr, form.title_en)


def subjects_table() -> Table:
    return Table("subjects", SUBJECTS.columns, ("subject",), SUBJECTS.title_fr, SUBJECTS.title_en)


# --- Values ------------------------------------------------------------------------------------


def _arrow_type(column: Column) -> pa.DataType:
    if column.type is ColumnType.INTEGER:
        return pa.int32()
    if column.type is ColumnType.DECIMAL:
        return pa.decimal128(max(column.digits, column.decimals + 1, 1), column.decimals)
    if column.type is ColumnType.BOOLEAN:
        return pa.bool_()
    if column.type is ColumnType.DATE:
        return pa.date32()
    return pa.string()


def arrow_schema(table: Table, metadata: Mapping[str, str] | None = None) -> pa.Schema:
    fields = [
        pa.field(
            column.name,
            _arrow_type(column),
            nullable=column.name not in table.keys,
            metadata={
                "type": column.type.value,
                "unit": column.unit,
                "label_fr": column.label_fr,
                "label_en": column.label_en,
            },
        )
        for column in table.columns
    ]
    return pa.schema(fields, metadata=dict(metadata or {}))


def _normalise(column: Column, value: Value) -> Value:
    """The value as the tables hold it: an empty code or text is missing; decimals exact."""
    if value is None:
        return None
    if column.type in (ColumnType.CODE, ColumnType.TEXT):
        text = str(value)
        return text if text else None
    if column.type is ColumnType.DECIMAL:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        return number.quantize(Decimal(1).scaleb(-column.decimals))
    if column.type is ColumnType.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise TypeError(f"{column.name}: {value!r} is not an integer")
        return int(value)
    if column.type is ColumnType.BOOLEAN:
        if not isinstance(value, bool):
            raise TypeError(f"{column.name}: {value!r} is not a boolean")
        return value
    if column.type is ColumnType.DATE:
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            raise TypeError(f"{column.name}: {value!r} is not a date")
        return value
    return value


def csv_cell(column: Column, value: Value) -> str:
    """The CSV text of one value (see the NA convention in the module docstring)."""
    value = _normalise(column, value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if column.type is ColumnType.TEXT and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def parse_csv_cell(column: Column, text: str) -> Value:
    """The value of one CSV cell (the inverse of :func:`csv_cell`)."""
    if text == "":
        return None
    if column.type is ColumnType.INTEGER:
        return int(text)
    if column.type is ColumnType.DECIMAL:
        return Decimal(text)
    if column.type is ColumnType.BOOLEAN:
        if text not in ("0", "1"):
            raise ValueError(f"{column.name}: {text!r} is not 0 or 1")
        return text == "1"
    if column.type is ColumnType.DATE:
        return datetime.date.fromisoformat(text)
    if (
        column.type is ColumnType.TEXT
        and text.startswith("'")
        and text[1:].startswith(FORMULA_PREFIXES)
    ):
        return text[1:]
    return text


# --- Rows --------------------------------------------------------------------------------------


def _form_rows(form: FormDef, records: Iterable[FormRecord]) -> list[dict[str, Value]]:
    rows = []
    for record in sorted(
        (r for r in records if r.form == form.code), key=lambda r: (r.subject, r.visit_date, r.key)
    ):
        row: dict[str, Value] = {
            "subject": record.subject,
            "site": f"{record.site:02d}",
            "visit": record.visit,
            "instance": record.instance,
            "visit_date": record.visit_date,
            "status": record.status,
        }
        for column in form.columns:
            row[column.name] = record.values.get(column.name)
        rows.append(row)
    keys = [(r["subject"], r["visit"], r["instance"]) for r in rows]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{form.code}: two records share a subject × visit × instance key")
    return rows


def _subject_rows(subjects: Iterable[SubjectRecord]) -> list[dict[str, Value]]:
    return [
        {
            "subject": s.code,
            "site": f"{s.site:02d}",
            "kind": s.kind,
            "sex": s.sex,
            "birth_year": s.birth_year,
            "birth_month": s.birth_month,
            "screening_date": s.screening_date,
            "inclusion_date": s.inclusion_date,
            "infusion_date": s.infusion_date,
            "end_date": s.end_date,
            "end_cause": s.end_cause,
            "recipient": s.recipient,
        }
        for s in sorted(subjects, key=lambda s: s.code)
    ]


def _arrow_table(
    table: Table, rows: Sequence[Mapping[str, Value]], metadata: Mapping[str, str]
) -> pa.Table:
    schema = arrow_schema(table, metadata)
    arrays = [
        pa.array([_normalise(column, row.get(column.name)) for row in rows], _arrow_type(column))
        for column in table.columns
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def _write_csv(path: Path, table: Table, rows: Sequence[Mapping[str, Value]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([column.name for column in table.columns])
        for row in rows:
            writer.writerow([csv_cell(column, row.get(column.name)) for column in table.columns])


# --- Data dictionary ---------------------------------------------------------------------------

DICTIONARY_COLUMNS = (
    "table",
    "column",
    "key",
    "type",
    "parquet_type",
    "unit",
    "minimum",
    "maximum",
    "plausible_low",
    "plausible_high",
    "decimals",
    "codes",
    "codes_fr",
    "required_to_complete",
    "label_fr",
    "label_en",
    "note",
    "derived",
)


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _codes(column: Column, language: str) -> str:
    if column.type is ColumnType.BOOLEAN:
        return "1=yes | 0=no" if language == "en" else "1=oui | 0=non"
    return " | ".join(
        f"{code.value}={code.label_en if language == 'en' else code.label_fr}"
        for code in column.codes
    )


def dictionary_rows(tables: Iterable[Table]) -> list[dict[str, str]]:
    """One row per column of every table, keys included, in table and column order."""
    rows = []
    for table in tables:
        for column in table.columns:
            rows.append(
                {
                    "table": table.name,
                    "column": column.name,
                    "key": "yes" if column.name in table.keys else "",
                    "type": column.type.value,
                    "parquet_type": str(_arrow_type(column)),
                    "unit": column.unit,
                    "minimum": _text(column.minimum),
                    "maximum": _text(column.maximum),
                    "plausible_low": _text(column.plausible[0]) if column.plausible else "",
                    "plausible_high": _text(column.plausible[1]) if column.plausible else "",
                    "decimals": str(column.decimals) if column.type is ColumnType.DECIMAL else "",
                    "codes": _codes(column, "en"),
                    "codes_fr": _codes(column, "fr"),
                    "required_to_complete": "yes" if column.required else "",
                    "label_fr": column.label_fr,
                    "label_en": column.label_en,
                    "note": column.note,
                    "derived": column.derived,
                }
            )
    return rows


DICTIONARY = Table(
    "dictionary",
    tuple(Column(name, ColumnType.TEXT, name, name) for name in DICTIONARY_COLUMNS),
    ("table", "column"),
)


# --- Writing and reading -----------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_tables(out_dir: Path, extract: Extract) -> list[Path]:
    """Write every table (CSV and Parquet), the dictionary and the manifest into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    metadata = {"format": TABLES_FORMAT, "cutoff": extract.cutoff.isoformat()}
    tables: list[tuple[Table, list[dict[str, Value]]]] = [
        (subjects_table(), _subject_rows(extract.subjects))
    ]
    tables += [(form_table(form), _form_rows(form, extract.records)) for form in extract.forms]
    dictionary: list[dict[str, Value]] = [
        dict(row) for row in dictionary_rows(table for table, _rows in tables)
    ]
    tables.append((DICTIONARY, dictionary))
    written: list[Path] = []
    counts: dict[str, int] = {}
    for table, rows in tables:
        csv_path = out_dir / f"{table.name}.csv"
        parquet_path = out_dir / f"{table.name}.parquet"
        _write_csv(csv_path, table, rows)
        pq.write_table(_arrow_table(table, rows, {**metadata, "table": table.name}), parquet_path)
        written += [csv_path, parquet_path]
        counts[table.name] = len(rows)
    manifest = {
        "format": TABLES_FORMAT,
        "cutoff": extract.cutoff.isoformat(),
        "keys": {"subjects": ["subject"], "forms": list(KEY_NAMES)},
        "na": "CSV: an empty field is a missing value, and nothing else is; Parquet: null",
        "tables": counts,
        "files": {path.name: _sha256(path) for path in written},
    }
    manifest_path = out_dir / "manifest.json"
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
    return [*written, manifest_path]


def read_csv(path: Path, table: Table) -> list[dict[str, Value]]:
    """The rows of a table's CSV file, typed by its columns (the header must match them)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        expected = [column.name for column in table.columns]
        if header != expected:
            raise ValueError(f"{path.name}: columns {header} are not {expected}")
        return [
            {
                column.name: parse_csv_cell(column, cell)
                for column, cell in zip(table.columns, line, strict=True)
            }
            for line in reader
        ]


def read_parquet(path: Path) -> list[dict[str, Value]]:
    rows: list[dict[str, Value]] = pq.read_table(path).to_pylist()
    return rows
