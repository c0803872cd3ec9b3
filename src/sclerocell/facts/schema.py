"""The long fact table every source feeds: one row per measurement, finding, exposure, statement,
consent or person attribute.

Columns: subject_id, code, date, time (nullable), value_num (nullable), value_text (nullable),
unit, ref_low, ref_high, source, source_row_id. Contract:

- ``code`` is a code of :mod:`sclerocell.facts.codes`; numbers are in that code's canonical unit.
- A boolean fact (finding, exposure, statement, consent, yes/no attribute) has ``value_num`` 1
  (present / given / yes / positive / signed) or 0 (recorded absent / never / no / negative);
  "not recorded" is the absence of a row, never a value.
- Missing is ``None`` (SQL NULL); NaN and infinities are refused.
- ``(subject_id, source_row_id)`` is unique; ``source_row_id`` names the source record, so every
  piece of evidence points back to it.
- Person attributes are facts too (``sex``, ``birth_month`` …): one table serves the eCRF, OMOP
  and the warehouse alike. ``birth_month`` is dated on the first day of the birth month.

"Latest" is the same everywhere: order by date, then time, then source_row_id, with a missing
date or time first (oldest); the last one wins. :func:`latest_key` is that order in Python; the
compiled path uses ``ORDER BY date DESC NULLS LAST, time DESC NULLS LAST, source_row_id DESC``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

COLUMNS: tuple[str, ...] = (
    "subject_id",
    "code",
    "date",
    "time",
    "value_num",
    "value_text",
    "unit",
    "ref_low",
    "ref_high",
    "source",
    "source_row_id",
)


@dataclass(frozen=True, slots=True)
class Fact:
    subject_id: str
    code: str
    date: dt.date | None
    time: dt.time | None = None
    value_num: float | None = None
    value_text: str | None = None
    unit: str | None = None
    ref_low: float | None = None
    ref_high: float | None = None
    source: str = ""
    source_row_id: str = ""

    def __post_init__(self) -> None:
        for name in ("value_num", "ref_low", "ref_high"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"{name}={value!r}: missing is None, never NaN or infinity")
        if self.time is not None and self.date is None:
            raise ValueError("a fact with a time needs a date")


LatestKey = tuple[bool, dt.date, bool, dt.time, str]


def latest_key(fact: Fact) -> LatestKey:
    """Sort key whose maximum is the latest fact (missing date or time counts as oldest)."""
    return (
        fact.date is not None,
        fact.date or dt.date.min,
        fact.time is not None,
        fact.time or dt.time.min,
        fact.source_row_id,
    )


def arrow_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [
            pa.field("subject_id", pa.string(), nullable=False),
            pa.field("code", pa.string(), nullable=False),
            pa.field("date", pa.date32()),
            pa.field("time", pa.time64("us")),
            pa.field("value_num", pa.float64()),
            pa.field("value_text", pa.string()),
            pa.field("unit", pa.string()),
            pa.field("ref_low", pa.float64()),
            pa.field("ref_high", pa.float64()),
            pa.field("source", pa.string()),
            pa.field("source_row_id", pa.string(), nullable=False),
        ]
    )


def ibis_schema() -> Any:
    """The fact table's ibis schema (``ibis.Schema``)."""
    import ibis

    return ibis.schema(
        {
            "subject_id": "!string",
            "code": "!string",
            "date": "date",
            "time": "time",
            "value_num": "float64",
            "value_text": "string",
            "unit": "string",
            "ref_low": "float64",
            "ref_high": "float64",
            "source": "string",
            "source_row_id": "!string",
        }
    )


def to_arrow(facts: Iterable[Fact]) -> pa.Table:
    """Facts as a pyarrow table with :func:`arrow_schema` (NULL for every missing value)."""
    import pyarrow as pa

    rows = [astuple(f) for f in facts]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in COLUMNS]
    schema = arrow_schema()
    return pa.table(
        [pa.array(list(col), type=field.type) for col, field in zip(columns, schema, strict=True)],
        schema=schema,
    )


def from_arrow(table: pa.Table) -> list[Fact]:
    """The inverse of :func:`to_arrow`."""
    names = [f.name for f in fields(Fact)]
    # Column by column: Arrow makes the Python values of a column at once, not a dict per row.
    columns = [table.column(n).to_pylist() for n in names]
    return [Fact(*values) for values in zip(*columns, strict=True)]
