"""The OMOP CDM v5.4 tables the pre-screen reads: the columns it uses, their types, which are
required, and typed access to a column whatever the source stored (a CSV holds text).

A source table is first exposed by the engine as a view with exactly these columns, in lower
case, missing optional columns as NULL (:func:`view_sql`); :func:`typed` then gives a column in
its OMOP type and a flag for a value that was present but could not be read, so that the row is
rejected with its reason rather than silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ID = "int64"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # ibis type name
    required: bool = False


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    id_column: str | None
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _c(name: str, type_: str, required: bool = False) -> Column:
    return Column(name, type_, required)


def _event(
    table: str, prefix: str, date: str, extra: tuple[Column, ...] = (), *, datetime: str
) -> TableSpec:
    return TableSpec(
        table,
        f"{table}_id",
        (
            _c(f"{table}_id", ID, True),
            _c("person_id", ID, True),
            _c(f"{prefix}_concept_id", ID, True),
            _c(f"{prefix}_source_concept_id", ID),
            _c(date, "date", True),
            _c(datetime, "timestamp"),
            *extra,
        ),
    )


TABLES: dict[str, TableSpec] = {
    "person": TableSpec(
        "person",
        "person_id",
        (
            _c("person_id", ID, True),
            _c("gender_concept_id", ID, True),
            _c("year_of_birth", ID, True),
            _c("month_of_birth", ID),
            _c("birth_datetime", "timestamp"),
        ),
    ),
    "observation_period": TableSpec(
        "observation_period",
        "observation_period_id",
        (
            _c("observation_period_id", ID),
            _c("person_id", ID, True),
            _c("observation_period_start_date", "date", True),
            _c("observation_period_end_date", "date", True),
        ),
    ),
    "condition_occurrence": _event(
        "condition_occurrence",
        "condition",
        "condition_start_date",
        datetime="condition_start_datetime",
    ),
    "procedure_occurrence": _event(
        "procedure_occurrence", "procedure", "procedure_date", datetime="procedure_datetime"
    ),
    "drug_exposure": _event(
        "drug_exposure",
        "drug",
        "drug_exposure_start_date",
        (_c("drug_exposure_end_date", "date"),),
        datetime="drug_exposure_start_datetime",
    ),
    "measurement": _event(
        "measurement",
        "measurement",
        "measurement_date",
        (
            _c("value_as_number", "float64"),
            _c("value_as_concept_id", ID),
            _c("unit_concept_id", ID),
            _c("unit_source_value", "string"),
            _c("range_low", "float64"),
            _c("range_high", "float64"),
            _c("value_source_value", "string"),
        ),
        datetime="measurement_datetime",
    ),
    "observation": _event(
        "observation",
        "observation",
        "observation_date",
        (
            _c("value_as_number", "float64"),
            _c("value_as_string", "string"),
            _c("value_as_concept_id", ID),
            _c("unit_concept_id", ID),
            _c("unit_source_value", "string"),
        ),
        datetime="observation_datetime",
    ),
    "concept": TableSpec(
        "concept",
        "concept_id",
        (
            _c("concept_id", ID, True),
            _c("vocabulary_id", "string", True),
            _c("concept_code", "string", True),
        ),
    ),
    "concept_ancestor": TableSpec(
        "concept_ancestor",
        None,
        (_c("ancestor_concept_id", ID, True), _c("descendant_concept_id", ID, True)),
    ),
}
# The tables an event row comes from, and the name of its concept column prefix and date.
EVENTS: dict[str, tuple[str, str]] = {
    "condition_occurrence": ("condition", "condition_start_date"),
    "procedure_occurrence": ("procedure", "procedure_date"),
    "drug_exposure": ("drug", "drug_exposure_start_date"),
    "measurement": ("measurement", "measurement_date"),
    "observation": ("observation", "observation_date"),
}
# Source types for the NULL placeholder of a missing optional column.
SQL_TYPES = {"int64": "BIGINT", "float64": "DOUBLE", "string": "STRING", "date": "DATE"}
SQL_TYPES["timestamp"] = "TIMESTAMP"


class SourceError(ValueError):
    """A warehouse table cannot be read (missing table or required column, bad location)."""


def view_sql(
    spec: TableSpec, source: str, columns: dict[str, str], quote: str, *, text: bool
) -> str:
    """``SELECT`` of the spec's columns from ``source`` whose columns are ``columns`` (lower-case
    name → actual name): missing optional columns as typed NULLs (text for a CSV source)."""
    parts = []
    for col in spec.columns:
        actual = columns.get(col.name)
        if actual is not None:
            parts.append(f"{quote}{actual}{quote} AS {col.name}")
        elif col.required:
            raise SourceError(f"{spec.name}: required column {col.name} is missing")
        else:
            sql_type = "STRING" if text else SQL_TYPES[col.type]
            parts.append(f"CAST(NULL AS {sql_type}) AS {col.name}")
    # Identifiers from the specs and the source's own catalogue, quoted; no values.
    return f"SELECT {', '.join(parts)} FROM {source}"  # noqa: S608


def _is_text(column: Any) -> bool:
    return bool(column.type().is_string())


def blank_to_null(column: Any) -> Any:
    """A text column with blanks read as missing. (Not ``strip()``: ibis compiles it for Spark
    with escaped whitespace characters that Spark reads as also trimming the letters v and f.)"""
    stripped = column.lstrip().rstrip()
    return (stripped == "").ifelse(None, stripped)


NAN_WORDS = ("nan", "+nan", "-nan")
INF_WORDS = ("inf", "+inf", "infinity", "+infinity")


def parse_number(text: Any, word: Any = None) -> tuple[Any, Any]:
    """A number written as text (a French decimal comma allowed; NaN and infinities spelled
    out are read as such, so that the door refuses them for what they are on every engine),
    and whether the text was not a number. ``word``: the text in lower case, when already
    computed."""
    import ibis

    word = text.lower() if word is None else word
    cast = text.replace(",", ".").try_cast("float64")
    value = ibis.cases(
        (word.isin(list(NAN_WORDS)), ibis.literal(float("nan"))),
        (word.isin(list(INF_WORDS)), ibis.literal(float("inf"))),
        (word.isin(["-inf", "-infinity"]), ibis.literal(float("-inf"))),
        else_=cast,
    )
    special = word.isin([*NAN_WORDS, *INF_WORDS, "-inf", "-infinity"])
    return value, text.notnull() & ~special & cast.isnull()


def typed(column: Any, type_: str) -> tuple[Any, Any]:
    """``column`` in ``type_`` and a boolean expression: a value was present but unreadable."""
    import ibis

    if type_ == "string":
        if _is_text(column):
            return blank_to_null(column), ibis.literal(False)
        return column.cast("string"), ibis.literal(False)
    if _is_text(column):
        text = blank_to_null(column)
        if type_ == "float64":
            return parse_number(text)
        if type_ == "int64":
            value = text.try_cast("float64")
            finite = value.notnull() & ~value.isnan() & (value.abs() < 9e18)
            value = (finite & (value == value.round())).ifelse(value.cast("int64"), None)
        else:
            value = text.try_cast(type_)
        # NULL-ness of the text form: ibis's Spark isnull() also counts NaN as null.
        return value, text.notnull() & value.cast("string").isnull()
    if type_ == "date" and column.type().is_timestamp():
        return column.date(), ibis.literal(False)
    if type_ == "int64" and column.type().is_floating():
        finite = column.notnull() & ~column.isnan() & (column.abs() < 9e18)
        whole = finite & (column == column.round())
        return whole.ifelse(column.cast("int64"), None), column.notnull() & ~whole
    return column.cast(type_), ibis.literal(False)
