"""The Spark configuration read from the environment (no Spark session started here)."""

from __future__ import annotations

import pytest

from sclerocell.config import ConfigError
from sclerocell.prescreen.spark import FIXED, settings


def test_it_runs_locally_by_default_with_the_settings_results_depend_on() -> None:
    conf = settings({})
    assert conf["spark.master"] == "local[*]"
    assert conf["spark.sql.session.timeZone"] == "UTC"
    assert conf["spark.sql.timeType.enabled"] == "true"


def test_it_is_configured_for_a_cluster_by_environment_variables() -> None:
    conf = settings(
        {
            "SCLEROCELL_SPARK_MASTER": "spark://master:7077",
            "SCLEROCELL_SPARK_EXECUTOR_MEMORY": "16g",
            "SCLEROCELL_SPARK_EXECUTOR_CORES": "4",
            "SCLEROCELL_SPARK_EXECUTOR_INSTANCES": "10",
            "SCLEROCELL_SPARK_SHUFFLE_PARTITIONS": "400",
            "SCLEROCELL_SPARK_CONF": "spark.sql.adaptive.enabled=true; spark.local.dir=/scratch",
        }
    )
    assert conf["spark.master"] == "spark://master:7077"
    assert conf["spark.executor.memory"] == "16g"
    assert conf["spark.executor.cores"] == "4"
    assert conf["spark.executor.instances"] == "10"
    assert conf["spark.sql.shuffle.partitions"] == "400"
    assert conf["spark.local.dir"] == "/scratch"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SCLEROCELL_SPARK_SHUFFLE_PARTITIONS": "many"}, "expected an integer"),
        ({"SCLEROCELL_SPARK_EXECUTOR_CORES": "0"}, "at least 1"),
        ({"SCLEROCELL_SPARK_CONF": "spark.ui.enabled"}, "not key=value"),
        ({"SCLEROCELL_SPARK_CONF": "spark.sql.session.timeZone=Europe/Paris"}, "needs 'UTC'"),
    ],
)
def test_a_bad_value_stops_with_its_name(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings(env)


def test_the_fixed_settings_cover_the_time_type_and_the_time_zone() -> None:
    assert set(FIXED) == {"spark.sql.session.timeZone", "spark.sql.timeType.enabled"}
