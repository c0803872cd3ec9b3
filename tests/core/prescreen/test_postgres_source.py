"""A warehouse in a PostgreSQL schema gives the same result as the same warehouse in Parquet.

This test needs the PostgreSQL server of the development environment (127.0.0.1:5432, user
postgres): it fails, never skips, when the server is unreachable.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import psycopg
import pyarrow as pa
import pyarrow.dataset as ds

from sclerocell.prescreen.run import PrescreenResult, prescreen
from sclerocell.prescreen.synth import Summary

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
TYPES = {
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE PRECISION",
    pa.string(): "TEXT",
    pa.date32(): "DATE",
    pa.timestamp("us"): "TIMESTAMP",
}


def load(folder: Path, con: psycopg.Connection, schema: str) -> None:
    """Every OMOP table of a Parquet warehouse into ``schema`` (values as NUMERIC, as the OMOP
    DDL for PostgreSQL declares them)."""
    for path in sorted(folder.iterdir()):
        name = path.name.removesuffix(".parquet")
        if name.startswith(("ground_truth", "generator")):
            continue
        table = ds.dataset(path, format="parquet").to_table()
        numeric = ("value_as_number", "range_high")
        columns = ", ".join(
            f'"{f.name}" {"NUMERIC" if f.name in numeric else TYPES[f.type]}' for f in table.schema
        )
        con.execute(f'CREATE TABLE "{schema}"."{name}" ({columns})')
        with con.cursor().copy(f'COPY "{schema}"."{name}" FROM STDIN') as copy:
            for row in zip(*[c.to_pylist() for c in table.columns], strict=True):
                copy.write_row(row)


def test_a_postgresql_schema_gives_the_same_result_as_parquet(
    warehouse: Summary, index_date: dt.date, result: PrescreenResult
) -> None:
    schema = f"prescreen_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(SERVER, autocommit=True) as con:
        con.execute(f'CREATE SCHEMA "{schema}"')
        try:
            load(warehouse.out, con, schema)
            from_postgres = prescreen(f"{SERVER}?schema={schema}", index_date, exact_top=0)
        finally:
            con.execute(f'DROP SCHEMA "{schema}" CASCADE')
    assert from_postgres.warehouse.startswith(
        "PostgreSQL 127.0.0.1/postgres schema prescreen_test_"
    )
    assert from_postgres.statuses.equals(result.statuses)
    assert from_postgres.funnel.equals(result.funnel)
    assert from_postgres.rejects.select(["omop_table", "row_id", "problem"]).equals(
        result.rejects.select(["omop_table", "row_id", "problem"])
    )
