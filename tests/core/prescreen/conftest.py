"""Fixtures of the warehouse pre-screen tests: one small synthetic warehouse with its ground
truth, screened once on DuckDB; one Spark session for the whole test session (local mode)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from sclerocell.prescreen.run import PrescreenResult, prescreen
from sclerocell.prescreen.synth import INDEX_DATE, Summary, generate

PERSONS = 400
SEED = 7


@pytest.fixture(scope="session")
def index_date() -> dt.date:
    return INDEX_DATE


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Summary:
    """400 persons, 60 % of them with SSc (enriched so that every criterion has cases on both
    sides), 2 % with a broken row."""
    folder = tmp_path_factory.mktemp("omop") / "warehouse"
    return generate(folder, PERSONS, SEED, ssc_share=0.6, broken_share=0.02)


@pytest.fixture(scope="session")
def truth(warehouse: Summary) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(warehouse.out / "ground_truth.parquet").to_pylist()
    return rows


@pytest.fixture(scope="session")
def result(
    warehouse: Summary, index_date: dt.date, tmp_path_factory: pytest.TempPathFactory
) -> PrescreenResult:
    out = tmp_path_factory.mktemp("prescreen") / "out"
    return prescreen(warehouse.out, index_date, out)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session (single core, no UI, one shuffle partition) for the session."""
    from sclerocell.prescreen.spark import LOCAL_TEST, session

    spark = session(LOCAL_TEST)
    yield spark
    spark.stop()


def statuses_by_person(result: PrescreenResult) -> dict[str, dict[str, Any]]:
    return {r["subject_id"]: r for r in result.statuses.to_pylist()}


def out_dir(result: PrescreenResult) -> Path:
    assert result.out_dir is not None
    return result.out_dir
