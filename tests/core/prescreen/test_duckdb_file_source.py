"""A warehouse given as a DuckDB database file is screened exactly as the same tables given as
Parquet files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from sclerocell.prescreen.omop import SourceError
from sclerocell.prescreen.run import prescreen
from sclerocell.prescreen.synth import INDEX_DATE, generate
from sclerocell.prescreen.warehouse import locate


def as_duckdb_file(folder: Path, target: Path) -> Path:
    """Every OMOP table of a Parquet warehouse copied into one DuckDB file."""
    warehouse = locate(folder)
    con = duckdb.connect(str(target))
    try:
        for table, (fmt, paths) in warehouse.files.items():
            assert fmt == "parquet"
            files = ", ".join(f"'{p}'" for p in paths)
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet([{files}])")  # noqa: S608
    finally:
        con.close()
    return target


def test_a_duckdb_file_gives_the_same_statuses_funnel_and_rejects_as_its_parquet_files(
    tmp_path: Path,
) -> None:
    summary = generate(tmp_path / "omop", 60, 11, ssc_share=0.5, broken_share=0.05)
    database = as_duckdb_file(summary.out, tmp_path / "warehouse.duckdb")

    from_parquet = prescreen(summary.out, INDEX_DATE, exact_top=0)
    from_file = prescreen(database, INDEX_DATE, tmp_path / "out", exact_top=0)

    assert locate(database).kind == "duckdb"
    assert from_file.population == from_parquet.population > 0
    assert from_file.statuses.equals(from_parquet.statuses)
    assert from_file.funnel.equals(from_parquet.funnel)
    assert from_file.rejects.num_rows > 0
    assert from_file.rejects.to_pylist() == from_parquet.rejects.to_pylist()
    assert (tmp_path / "out" / "statuses.parquet").exists()


def test_a_duckdb_file_without_a_person_table_is_refused_clearly(tmp_path: Path) -> None:
    database = tmp_path / "empty.duckdb"
    duckdb.connect(str(database)).close()
    with pytest.raises(SourceError, match="no person table"):
        prescreen(database, INDEX_DATE)
