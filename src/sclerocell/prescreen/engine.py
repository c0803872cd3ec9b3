"""Where the pre-screen runs: DuckDB on one machine (the default) or Apache Spark at scale.

Every step is an ibis expression over *unbound* tables named after the engine's views; an engine
compiles it with ibis for its own SQL dialect and runs the SQL natively. So the same compiled
expressions — the OMOP → facts conversion and the core's ``compile_screen`` — run on both
engines. Spark runs them through ibis's PySpark SQL compiler: ibis's PySpark *backend* cannot
bind a table with a TIME column (the facts' ``time``), and Spark's TIME type needs
``spark.sql.timeType.enabled`` (set by :mod:`sclerocell.prescreen.spark`).

An engine keeps intermediate results as tables of its own in-memory database (DuckDB; temporary
tables in a connection given by the caller) or cached, lineage-cut views (Spark), registered under
a name so that later expressions can refer to them.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pyarrow as pa

EngineName = Literal["duckdb", "spark"]
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a table name: {name!r}")
    return name


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class Engine(ABC):
    """Runs ibis expressions over named tables and keeps intermediate results."""

    name: EngineName
    dialect: str
    quote: str

    def __init__(self) -> None:
        self._schemas: dict[str, Any] = {}

    # --- Sources -----------------------------------------------------------------------------

    @abstractmethod
    def register_files(self, name: str, paths: list[Path], fmt: Literal["parquet", "csv"]) -> None:
        """Expose Parquet or CSV files (CSV read as text) as the raw table ``name``."""

    @abstractmethod
    def register_arrow(self, name: str, table: pa.Table) -> None: ...

    @abstractmethod
    def columns(self, name: str) -> list[str]:
        """The column names of a registered table, as stored."""

    @abstractmethod
    def create_view(self, name: str, sql: str) -> None: ...

    # --- Running -----------------------------------------------------------------------------

    def table(self, name: str) -> Any:
        """An unbound ibis table with the registered table's schema."""
        import ibis

        if name not in self._schemas:
            self._schemas[name] = self._schema(name)
        return ibis.table(self._schemas[name], name=name)

    def bind(self, name: str, schema: Any) -> Any:
        """An unbound ibis table of a given schema (for a table whose types ibis cannot read
        from this engine, e.g. Spark's TIME)."""
        import ibis

        self._schemas[name] = ibis.schema(schema)
        return ibis.table(self._schemas[name], name=name)

    @abstractmethod
    def _schema(self, name: str) -> Any: ...

    def sql(self, expr: Any) -> str:
        import ibis

        return str(ibis.to_sql(expr, dialect=self.dialect))

    @abstractmethod
    def run_sql(self, sql: str) -> pa.Table: ...

    def to_arrow(self, expr: Any) -> pa.Table:
        return self.run_sql(self.sql(expr))

    @abstractmethod
    def materialise_sql(self, name: str, sql: str, order_by: tuple[str, ...] = ()) -> None:
        """Run ``sql`` once and keep its rows as the table ``name``."""

    def materialise(self, name: str, expr: Any, order_by: tuple[str, ...] = ()) -> Any:
        self.materialise_sql(name, self.sql(expr), order_by)
        self._schemas.pop(name, None)
        return self.table(name)

    def write_parquet(self, sql: str, path: Path) -> None:
        """The rows of ``sql`` as one Parquet file."""
        import pyarrow.parquet as pq

        pq.write_table(self.run_sql(sql), path)

    def start_write_parquet(self, sql: str, path: Path) -> Callable[[], None]:
        """Begin writing the rows of ``sql`` as one Parquet file; the function returned waits
        for the file (and raises what the writing raised). Here: written at once."""
        self.write_parquet(sql, path)
        return lambda: None

    @abstractmethod
    def make_time_sql(self, seconds: str) -> str:
        """SQL for a TIME from an integer number of seconds since midnight (NULL stays NULL)."""

    @abstractmethod
    def scan_sql(self, table: str, columns: list[str]) -> str:
        """A query that reads every value of ``columns`` (the benchmark's floor)."""

    def close(self) -> None:  # noqa: B027 - engines without resources keep the default
        pass


class DuckDBEngine(Engine):
    name: EngineName = "duckdb"
    dialect = "duckdb"
    quote = '"'

    def __init__(self, connection: Any = None, *, memory_limit: str | None = None) -> None:
        import duckdb

        super().__init__()
        self.con = connection if connection is not None else duckdb.connect()
        # In its own in-memory database the engine's tables and views are ordinary ones, so
        # that a second cursor (a write in the background) sees them; in a database given by
        # the caller they stay temporary.
        self._kind = "TEMP " if connection is not None else ""
        if memory_limit:
            self.con.execute(f"SET memory_limit = {_sql_literal(memory_limit)}")

    def register_files(self, name: str, paths: list[Path], fmt: Literal["parquet", "csv"]) -> None:
        files = "[" + ", ".join(_sql_literal(str(p)) for p in paths) + "]"
        if fmt == "parquet":
            source = f"read_parquet({files}, union_by_name = true)"
        else:
            source = f"read_csv({files}, header = true, all_varchar = true, union_by_name = true)"
        # Paths are quoted literals, the name is checked: no user text reaches the SQL as code.
        self.create_view(name, f"SELECT * FROM {source}")  # noqa: S608

    def register_arrow(self, name: str, table: pa.Table) -> None:
        # Copied into a table: DuckDB then knows its size when it orders joins (a scan of an
        # arrow object has no statistics, and a 50-row unit table was built as the big side).
        view = f"{_check_name(name)}_arrow"
        self.con.register(view, table)
        try:
            # Both names are checked identifiers.
            self.con.execute(f"CREATE OR REPLACE {self._kind}TABLE {name} AS SELECT * FROM {view}")  # noqa: S608
        finally:
            self.con.unregister(view)
        self._schemas.pop(name, None)

    def attach(self, path: Path, alias: str) -> list[str]:
        """Attach a DuckDB database file read-only; its table names."""
        self.con.execute(f"ATTACH {_sql_literal(str(path))} AS {_check_name(alias)} (READ_ONLY)")
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = ?", [alias]
        ).fetchall()
        return [r[0] for r in rows]

    def columns(self, name: str) -> list[str]:
        return [r[0] for r in self.con.execute(f"DESCRIBE {_check_name(name)}").fetchall()]

    def create_view(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE {self._kind}VIEW {_check_name(name)} AS {sql}")
        self._schemas.pop(name, None)

    def _schema(self, name: str) -> Any:
        import ibis

        rows = self.con.execute(f"DESCRIBE {_check_name(name)}").fetchall()
        return ibis.schema({r[0]: _duckdb_type(r[1]) for r in rows})

    def run_sql(self, sql: str) -> pa.Table:
        result: pa.Table = self.con.sql(sql).to_arrow_table()
        return result

    def materialise_sql(self, name: str, sql: str, order_by: tuple[str, ...] = ()) -> None:
        order = f" ORDER BY {', '.join(order_by)}" if order_by else ""
        self.con.execute(f"CREATE OR REPLACE {self._kind}TABLE {_check_name(name)} AS {sql}{order}")
        self._schemas.pop(name, None)

    def write_parquet(self, sql: str, path: Path) -> None:
        # Written by DuckDB itself (parallel, no round trip through Python).
        self.con.execute(_copy_sql(sql, path))

    def start_write_parquet(self, sql: str, path: Path) -> Callable[[], None]:
        """Written by a second cursor in a thread (DuckDB releases the interpreter lock), while
        this one goes on: the Python work that follows (lists, reports) overlaps the writing."""
        if self._kind:
            return super().start_write_parquet(sql, path)
        import threading

        cursor = self.con.cursor()
        failure: list[BaseException] = []

        def work() -> None:
            try:
                cursor.execute(_copy_sql(sql, path))
            except BaseException as error:
                failure.append(error)
            finally:
                cursor.close()

        thread = threading.Thread(target=work, name="prescreen-write", daemon=True)
        thread.start()

        def wait() -> None:
            thread.join()
            if failure:
                raise failure[0]

        return wait

    def make_time_sql(self, seconds: str) -> str:
        return (
            f"CASE WHEN {seconds} IS NULL THEN NULL ELSE make_time("
            f"CAST({seconds} // 3600 AS BIGINT), CAST(({seconds} % 3600) // 60 AS BIGINT), "
            f"CAST({seconds} % 60 AS DOUBLE)) END"
        )

    def scan_sql(self, table: str, columns: list[str]) -> str:
        cols = ", ".join(columns)
        # Column names come from the OMOP table specs, the table name is checked.
        return f"SELECT count(*) AS n, bit_xor(hash({cols})) AS h FROM {_check_name(table)}"  # noqa: S608

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.con.close()


def _copy_sql(sql: str, path: Path) -> str:
    return f"COPY ({sql}) TO {_sql_literal(str(path))} (FORMAT parquet)"


@lru_cache(maxsize=256)
def _duckdb_type(name: str) -> Any:
    """An ibis type from DuckDB's name for it (parsed by sqlglot: once per distinct name)."""
    from ibis.backends.sql.datatypes import DuckDBType

    return DuckDBType.from_string(name)


class SparkEngine(Engine):
    name: EngineName = "spark"
    dialect = "pyspark"
    quote = "`"

    def __init__(self, session: Any, scratch: Path | None = None) -> None:
        import ibis

        super().__init__()
        _ = ibis.pyspark  # registers the PySpark compiler's options
        self.spark = session
        self.scratch = scratch or Path(tempfile.mkdtemp(prefix="sclerocell-spark-"))
        self._frames: dict[str, Any] = {}

    def _keep(self, name: str, frame: Any) -> None:
        self._frames[_check_name(name)] = frame
        frame.createOrReplaceTempView(name)
        self._schemas.pop(name, None)

    def register_files(self, name: str, paths: list[Path], fmt: Literal["parquet", "csv"]) -> None:
        reader = self.spark.read
        if fmt == "parquet":
            frame = reader.option("mergeSchema", "true").parquet(*[str(p) for p in paths])
        else:
            frame = reader.option("header", "true").option("inferSchema", "false")
            frame = frame.csv([str(p) for p in paths])
        self._keep(name, frame)

    def register_arrow(self, name: str, table: pa.Table) -> None:
        self._keep(name, self.spark.createDataFrame(table))

    def columns(self, name: str) -> list[str]:
        return list(self.spark.table(_check_name(name)).columns)

    def create_view(self, name: str, sql: str) -> None:
        self._keep(name, self.spark.sql(sql))

    def _schema(self, name: str) -> Any:
        import ibis
        from ibis.backends.pyspark.datatypes import PySparkType

        schema = self.spark.table(_check_name(name)).schema
        return ibis.schema({f.name: PySparkType.to_ibis(f.dataType) for f in schema.fields})

    def run_sql(self, sql: str) -> pa.Table:
        import pyarrow as pa

        result: pa.Table = self.spark.sql(sql).toArrow()
        # Spark marks computed columns NOT NULL; DuckDB does not: the same data, the same schema.
        relaxed = pa.schema([f.with_nullable(True) for f in result.schema])
        return result.cast(relaxed)

    def materialise_sql(self, name: str, sql: str, order_by: tuple[str, ...] = ()) -> None:
        frame = self.spark.sql(sql)
        if order_by:
            frame = frame.sortWithinPartitions(*order_by)
        # Checkpointed: later plans start from these rows, not from the lineage of every earlier
        # step (Catalyst's analysis time grows with the size of the plan).
        self._keep(name, frame.localCheckpoint(eager=True))

    def make_time_sql(self, seconds: str) -> str:
        return (
            f"CASE WHEN {seconds} IS NULL THEN NULL ELSE make_time("
            f"CAST(floor({seconds} / 3600) AS INT), CAST(floor(({seconds} % 3600) / 60) AS INT), "
            f"CAST({seconds} % 60 AS DECIMAL(8, 6))) END"
        )

    def scan_sql(self, table: str, columns: list[str]) -> str:
        cols = ", ".join(columns)
        # Column names come from the OMOP table specs, the table name is checked.
        return f"SELECT count(*) AS n, bit_xor(xxhash64({cols})) AS h FROM {_check_name(table)}"  # noqa: S608

    def close(self) -> None:
        import shutil

        for name in list(self._frames):
            with contextlib.suppress(Exception):
                self.spark.catalog.dropTempView(name)
        shutil.rmtree(self.scratch, ignore_errors=True)
