"""Finding the OMOP tables of a warehouse and exposing them to an engine.

A warehouse is one of:

- a folder of Parquet files (``measurement.parquet``, or ``measurement/`` holding part files),
- a folder of CSV files (``measurement.csv``, ``MEASUREMENT.csv.gz``…; every value read as text
  and typed at the door),
- a DuckDB database file (``*.duckdb``, ``*.db``),
- a PostgreSQL schema: ``postgresql://user@host:5432/database?schema=cdm``.

Each table the pre-screen reads is exposed to the engine as the view ``omop_<table>`` with the
columns of :mod:`sclerocell.prescreen.omop` in lower case. Folders (and a DuckDB file on the DuckDB
engine) are read lazily by the engine itself; PostgreSQL (and a DuckDB file on Spark) is read
through ibis with the concept filter pushed down, so only the rows the concept map can use leave
the database.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from sclerocell.prescreen.engine import DuckDBEngine, Engine
from sclerocell.prescreen.omop import TABLES, SourceError, view_sql

Kind = Literal["folder", "duckdb", "postgres"]
# (column, allowed values) pairs, OR-combined: the rows worth extracting from a database.
Filter = list[tuple[str, Sequence[Any]]]


def view_name(table: str) -> str:
    return f"omop_{table}"


@dataclass
class Warehouse:
    """Where the OMOP tables are, and which were found."""

    location: str
    kind: Kind
    files: dict[str, tuple[str, list[Path]]] = field(default_factory=dict)
    schema: str = "public"
    found: set[str] = field(default_factory=set)

    def describe(self) -> str:
        if self.kind == "postgres":
            parts = urlsplit(self.location)
            host = parts.hostname or "localhost"
            return f"PostgreSQL {host}/{parts.path.lstrip('/')} schema {self.schema}"
        return f"{self.kind} {self.location}"


def _postgres(location: str) -> Warehouse:
    parts = urlsplit(location)
    query = parse_qs(parts.query)
    schema = (query.pop("schema", ["public"]) or ["public"])[0]
    clean = urlunsplit(parts._replace(query=urlencode(query, doseq=True)))
    return Warehouse(clean, "postgres", schema=schema)


def _folder(path: Path) -> Warehouse:
    entries = {p.name.lower(): p for p in path.iterdir()}
    files: dict[str, tuple[str, list[Path]]] = {}
    for table in TABLES:
        for fmt, names in (
            ("parquet", (f"{table}.parquet",)),
            ("csv", (f"{table}.csv", f"{table}.csv.gz")),
        ):
            for name in names:
                if name in entries and entries[name].is_file():
                    files[table] = (fmt, [entries[name]])
            if table in files:
                break
        if table in files or table not in entries or not entries[table].is_dir():
            continue
        folder = entries[table]
        parquet = sorted(folder.glob("*.parquet"))
        csvs = sorted([*folder.glob("*.csv"), *folder.glob("*.csv.gz")])
        if parquet:
            files[table] = ("parquet", parquet)
        elif csvs:
            files[table] = ("csv", csvs)
    if not files:
        raise SourceError(f"{path}: no OMOP table (person.parquet, measurement.csv…) found")
    return Warehouse(str(path), "folder", files=files, found=set(files))


def locate(location: str | Path) -> Warehouse:
    """The warehouse at ``location`` (folder, DuckDB file or PostgreSQL URL)."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        return _postgres(text)
    path = Path(text)
    if path.is_dir():
        return _folder(path)
    if path.is_file() and path.suffix.lower() in (".duckdb", ".db", ".ddb"):
        return Warehouse(str(path), "duckdb")
    raise SourceError(
        f"{text}: not a folder of Parquet/CSV files, a DuckDB file or a PostgreSQL URL"
    )


class Source:
    """Registers a warehouse's tables with an engine."""

    def __init__(self, warehouse: Warehouse, engine: Engine) -> None:
        self.warehouse = warehouse
        self.engine = engine
        self._pg: Any = None
        self._duck: Any = None
        self._tables: dict[str, str] = {}  # lower-case name → name in the database
        if warehouse.kind == "postgres":
            import ibis

            self._pg = ibis.connect(warehouse.location)
            names = self._pg.list_tables(database=warehouse.schema)
            self._tables = {n.lower(): n for n in names}
        elif warehouse.kind == "duckdb":
            if isinstance(engine, DuckDBEngine):
                names = engine.attach(Path(warehouse.location), "warehouse")
            else:
                import duckdb

                self._duck = duckdb.connect(warehouse.location, read_only=True)
                names = [r[0] for r in self._duck.execute("SHOW TABLES").fetchall()]
            self._tables = {n.lower(): n for n in names}
        if warehouse.kind != "folder":
            warehouse.found = {t for t in TABLES if t in self._tables}

    @property
    def lazy(self) -> bool:
        """Whether the engine reads the tables itself (no extraction, no pushdown needed)."""
        return self.warehouse.kind == "folder" or (
            self.warehouse.kind == "duckdb" and isinstance(self.engine, DuckDBEngine)
        )

    def has(self, table: str) -> bool:
        return table in self.warehouse.found

    def register(self, table: str, where: Filter | None = None) -> str:
        """Expose ``table`` as the view ``omop_<table>``; ``where`` limits what is extracted
        from a database (folders are filtered by the joins that follow)."""
        if not self.has(table):
            raise SourceError(f"{self.warehouse.describe()}: no table {table}")
        spec = TABLES[table]
        raw = f"raw_{table}"
        text = False
        if self.warehouse.kind == "folder":
            fmt, paths = self.warehouse.files[table]
            self.engine.register_files(raw, paths, fmt)  # type: ignore[arg-type]
            text = fmt == "csv"
        elif self.lazy:
            quoted = self._tables[table].replace('"', '""')
            # A table name of the attached file's own catalogue, quoted.
            self.engine.create_view(raw, f'SELECT * FROM warehouse."{quoted}"')  # noqa: S608
        else:
            self.engine.register_arrow(raw, self._extract(table, where))
        columns = {c.lower(): c for c in self.engine.columns(raw)}
        name = view_name(table)
        self.engine.create_view(name, view_sql(spec, raw, columns, self.engine.quote, text=text))
        return name

    def _extract(self, table: str, where: Filter | None) -> Any:
        import ibis

        spec = TABLES[table]
        if self._pg is not None:
            source = self._pg.table(self._tables[table], database=self.warehouse.schema)
        else:
            backend = ibis.duckdb.from_connection(self._duck)
            source = backend.table(self._tables[table])
        actual = {c.lower(): c for c in source.columns}
        keep = {}
        for col in spec.columns:
            if col.name not in actual:
                continue
            value = source[actual[col.name]]
            # NUMERIC arrives as decimals of any scale: read it as the OMOP type here.
            if value.type().is_decimal():
                value = value.cast("float64" if col.type == "float64" else col.type)
            keep[actual[col.name]] = value
        expr = source.select(**keep)
        if where:
            conditions = [
                expr[actual[column]].isin(list(values))
                for column, values in where
                if column in actual and values
            ]
            expr = expr.filter(ibis.or_(*conditions)) if conditions else expr.limit(0)
        return expr.to_pyarrow()

    def close(self) -> None:
        for con in (self._pg, self._duck):
            if con is not None:
                with contextlib.suppress(Exception):
                    con.disconnect() if hasattr(con, "disconnect") else con.close()
