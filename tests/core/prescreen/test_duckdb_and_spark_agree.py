"""The same compiled expressions on Apache Spark (local mode) and on DuckDB: identical results,
person by person and criterion by criterion."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sclerocell.prescreen.run import PrescreenResult, prescreen
from sclerocell.prescreen.synth import Summary


def test_spark_and_duckdb_give_every_person_the_same_status_on_every_criterion(
    warehouse: Summary, index_date: dt.date, result: PrescreenResult, spark: Any
) -> None:
    on_spark = prescreen(warehouse.out, index_date, engine="spark", spark=spark, exact_top=0)
    assert on_spark.engine == "spark"
    assert on_spark.statuses.sort_by("subject_id").equals(result.statuses.sort_by("subject_id"))
    assert on_spark.funnel.equals(result.funnel)
    assert (
        on_spark.rejects.sort_by([("omop_table", "ascending"), ("row_id", "ascending")])
        .select(["omop_table", "row_id", "problem"])
        .equals(
            result.rejects.sort_by([("omop_table", "ascending"), ("row_id", "ascending")]).select(
                ["omop_table", "row_id", "problem"]
            )
        )
    )
    assert on_spark.facts == result.facts
