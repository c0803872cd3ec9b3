"""The Spark session of the pre-screen, configured from the environment.

Local mode by default; a cluster by setting the master URL and the resources:

- ``SCLEROCELL_SPARK_MASTER`` (default ``local[*]``): ``spark://host:7077``, ``yarn``, ``k8s://…``
- ``SCLEROCELL_SPARK_DRIVER_MEMORY`` (default ``2g``), ``SCLEROCELL_SPARK_EXECUTOR_MEMORY``
  (default ``4g``), ``SCLEROCELL_SPARK_EXECUTOR_CORES`` (default: Spark's),
  ``SCLEROCELL_SPARK_EXECUTOR_INSTANCES`` (default: Spark's)
- ``SCLEROCELL_SPARK_SHUFFLE_PARTITIONS`` (default 200): partitions after a shuffle
- ``SCLEROCELL_SPARK_UI`` (default off)
- ``SCLEROCELL_SPARK_CONF``: any other setting, ``key=value`` pairs separated by ``;``

The settings the results depend on are fixed here and cannot be overridden: UTC session time
zone, Spark's TIME type on (the facts' ``time`` column). Driver memory, like any JVM option,
only applies when this process starts the JVM.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sclerocell.config import ConfigError, env_bool, env_int, env_str

FIXED: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.timeType.enabled": "true",
}
# For a single-core local run (tests): C1 JIT only, no adaptive re-planning, no broadcasts;
# the criteria tree is a plan of ~80 joins whose planning dominates small runs.
LOCAL_TEST: dict[str, str] = {
    "spark.master": "local[1]",
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "1",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.autoBroadcastJoinThreshold": "-1",
    "spark.sql.codegen.wholeStage": "false",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1",
    "spark.buffer.pageSize": "2m",
}


def _extra(text: str) -> dict[str, str]:
    found = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"SCLEROCELL_SPARK_CONF: {part!r} is not key=value")
        found[key.strip()] = value.strip()
    return found


def settings(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The Spark configuration read from the environment (``env`` for tests)."""
    conf = {
        "spark.master": env_str("SCLEROCELL_SPARK_MASTER", "local[*]", env=env),
        "spark.app.name": "sclerocell-prescreen",
        "spark.driver.memory": env_str("SCLEROCELL_SPARK_DRIVER_MEMORY", "2g", env=env),
        "spark.executor.memory": env_str("SCLEROCELL_SPARK_EXECUTOR_MEMORY", "4g", env=env),
        "spark.sql.shuffle.partitions": str(
            env_int("SCLEROCELL_SPARK_SHUFFLE_PARTITIONS", 200, minimum=1, env=env)
        ),
        "spark.ui.enabled": "true" if env_bool("SCLEROCELL_SPARK_UI", False, env=env) else "false",
    }
    cores = env_str("SCLEROCELL_SPARK_EXECUTOR_CORES", "", env=env)
    if cores:
        conf["spark.executor.cores"] = str(
            env_int("SCLEROCELL_SPARK_EXECUTOR_CORES", 1, minimum=1, env=env)
        )
    instances = env_str("SCLEROCELL_SPARK_EXECUTOR_INSTANCES", "", env=env)
    if instances:
        conf["spark.executor.instances"] = str(
            env_int("SCLEROCELL_SPARK_EXECUTOR_INSTANCES", 1, minimum=1, env=env)
        )
    conf.update(_extra(env_str("SCLEROCELL_SPARK_CONF", "", env=env)))
    for key in FIXED:
        if key in conf and conf[key] != FIXED[key]:
            raise ConfigError(f"{key}={conf[key]!r}: the pre-screen needs {FIXED[key]!r}")
    conf.update(FIXED)
    return conf


def session(
    overrides: Mapping[str, str] | None = None, env: Mapping[str, str] | None = None
) -> Any:
    """A Spark session with :func:`settings`, then ``overrides`` (e.g. :data:`LOCAL_TEST`)."""
    from pyspark.sql import SparkSession

    conf = settings(env)
    conf.update(overrides or {})
    conf.update(FIXED)
    builder = SparkSession.builder
    for key, value in conf.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    for key, value in FIXED.items():
        spark.conf.set(key, value)
    spark.sparkContext.setLogLevel("ERROR")
    return spark
