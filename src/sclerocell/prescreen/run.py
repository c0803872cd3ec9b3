"""The warehouse pre-screen, end to end: OMOP warehouse → facts → criteria → funnel and lists.

    from sclerocell.prescreen.run import prescreen
    result = prescreen("/data/omop", dt.date(2024, 6, 15), out_dir="/data/prescreen")
    result.funnel        # pyarrow: met / not met / unknown / to assess per criterion and group
    result.eligible      # verdict met
    result.to_confirm    # undetermined, ranked, with what would decide each
    result.rejects       # rows refused at the door, with their reason

Stages (a progress bar with ``progress=True``): open the warehouse, resolve the concept map,
resolve the units, find the population, check every mapped row (facts + rejects), build the fact
table, screen (the core's ``compile_screen``), funnel, lists, write. Everything before the lists
runs in the engine; Python only sees the distinct units, the counts and the candidates.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sclerocell.criteria.base import Criterion, Leaf
from sclerocell.criteria.evaluate import walk
from sclerocell.criteria.select import PersonFacts
from sclerocell.criteria.status import Status
from sclerocell.facts.schema import from_arrow, ibis_schema
from sclerocell.prescreen import sqlcache, to_facts
from sclerocell.prescreen.concept_map import ConceptMap, summary
from sclerocell.prescreen.concept_map import load as load_map
from sclerocell.prescreen.engine import DuckDBEngine, Engine, EngineName, SparkEngine
from sclerocell.prescreen.lists import funnel_table, rank
from sclerocell.prescreen.omop import EVENTS, SourceError
from sclerocell.prescreen.warehouse import Filter, Source, locate, view_name
from sclerocell.protocol.screen import Role, compile_screen, criteria, screen
from sclerocell.protocol.settings import DEFAULT, ProtocolSettings

if TYPE_CHECKING:
    import pyarrow as pa

Population = Literal["ssc", "all"]
STAGES = (
    "warehouse",
    "concepts",
    "units",
    "population",
    "validate",
    "facts",
    "screen",
    "funnel",
    "lists",
    "write",
)
STATUSES_TABLE = "prescreen_statuses"
EXACT_TOP = 200  # the head of the work list gets each person's exact "what would decide it"
FULL_CHECK = 20  # and the first of them are screened whole, every status compared


@dataclass
class PrescreenResult:
    role: Role
    index_date: dt.date
    engine: EngineName
    settings: ProtocolSettings
    warehouse: str
    population_rule: Population
    persons: int
    population: int
    facts: int
    funnel: pa.Table
    statuses: pa.Table
    eligible: pa.Table
    to_confirm: pa.Table
    rejects: pa.Table
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    units: list[dict[str, Any]] = field(default_factory=list)
    map_summary: dict[str, int] = field(default_factory=dict)
    out_dir: Path | None = None
    disagreements: list[str] = field(default_factory=list)

    @property
    def verdicts(self) -> dict[str, int]:
        row = next(r for r in self.funnel.to_pylist() if r["criterion"] == self.role)
        return {s.value: int(row[s.value]) for s in Status}


class Progress:
    """Stage timings, shown as a tqdm bar when asked."""

    def __init__(self, show: bool, stages: tuple[str, ...] = STAGES) -> None:
        self.seconds: dict[str, float] = {}
        self._bar: Any = None
        if show:
            from tqdm import tqdm

            self._bar = tqdm(total=len(stages), unit="stage", desc="prescreen")

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self._bar is not None:
            self._bar.set_description(f"prescreen: {name}")
        start = time.perf_counter()
        yield
        self.seconds[name] = time.perf_counter() - start
        if self._bar is not None:
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.set_description("prescreen: done")
            self._bar.close()


def make_engine(name: EngineName, spark: Any = None) -> Engine:
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        if spark is None:
            from sclerocell.prescreen.spark import session

            spark = session()
        return SparkEngine(spark)
    raise ValueError(f"unknown engine {name!r}: duckdb or spark")


def _filters(resolved: to_facts.ResolvedMap, table: str) -> Filter:
    prefix = EVENTS[table][0]
    return [
        (f"{prefix}_concept_id", resolved.ids(table, "concept")),
        (f"{prefix}_source_concept_id", resolved.ids(table, "source_concept")),
    ]


def _counts(statuses: pa.Table, ids: list[str]) -> dict[str, int]:
    """Persons per criterion and status code, counted over the statuses already fetched."""
    import numpy as np

    size = max(s.code for s in Status) + 1
    counts: dict[str, int] = {}
    for node_id in ids:
        codes = statuses.column(node_id).to_numpy(zero_copy_only=False).astype(np.int64)
        by_code = np.bincount(codes, minlength=size)
        for status in Status:
            counts[f"{node_id}::{status.code}"] = int(by_code[status.code])
    return counts


@dataclass
class Prepared:
    """A warehouse read up to the fact table, in an engine (see :func:`prepare`)."""

    engine: Engine
    source: Source
    warehouse: str
    persons: int
    population: int
    facts: int
    rejects: pa.Table
    notes: list[str]
    units: list[dict[str, Any]]

    def facts_table(self) -> Any:
        return self.engine.bind(to_facts.FACTS_TABLE, ibis_schema())

    def write_facts(self, path: Path) -> None:
        """The fact table as Parquet, as the engine holds it (grouped by code; :func:`explain`
        reads one person's facts with a filter): no second sort of every fact."""
        self.start_write_facts(path)()

    def start_write_facts(self, path: Path) -> Callable[[], None]:
        """:meth:`write_facts` in the background where the engine can; call the result to
        wait for the file."""
        return self.engine.start_write_parquet(self.engine.sql(self.facts_table()), path)

    def facts_arrow(self) -> pa.Table:
        facts = self.facts_table()
        table = self.engine.to_arrow(facts.order_by(["subject_id", "code", "source_row_id"]))
        return as_fact_table(table)

    def close(self) -> None:
        self.source.close()
        self.engine.close()


def as_fact_table(table: pa.Table) -> pa.Table:
    """Facts as :func:`sclerocell.facts.schema.arrow_schema` types (Spark returns nanoseconds)."""
    import pyarrow as pa

    from sclerocell.facts.schema import arrow_schema

    schema = arrow_schema()
    return pa.table(
        {f.name: table.column(f.name).cast(f.type) for f in schema},
        schema=pa.schema([pa.field(f.name, f.type) for f in schema]),
    )


def prepare(
    location: str | Path,
    index_date: dt.date,
    *,
    engine: EngineName | Engine = "duckdb",
    population: Population = "ssc",
    concept_map: ConceptMap | None = None,
    spark: Any = None,
    steps: Progress | None = None,
) -> Prepared:
    """Open the warehouse, resolve the concept map and the units, find the population, check
    every mapped row and build the population's fact table in the engine."""
    cmap = concept_map or load_map()
    steps = steps or Progress(False)
    notes: list[str] = []
    eng = engine if isinstance(engine, Engine) else make_engine(engine, spark)
    source: Source | None = None
    try:
        with steps.stage("warehouse"):
            warehouse = locate(location)
            source = Source(warehouse, eng)
            if not source.has("person"):
                raise SourceError(f"{warehouse.describe()}: no person table")
            source.register("person")
            missing = [t for t in (*EVENTS, "observation_period") if not source.has(t)]
            if missing:
                notes.append(f"tables not found (nothing read from them): {', '.join(missing)}")
        with steps.stage("concepts"):
            resolved = to_facts.resolve(cmap, source)
            for row in resolved.unresolved:
                notes.append(
                    f"concept map line {row.line}: {row.vocabulary} {row.concept_code} "
                    f"({row.fact_code}) not found in the warehouse's concept table"
                )
            for row in resolved.without_ancestors:
                notes.append(
                    f"concept map line {row.line}: no concept_ancestor table, descendants of "
                    f"{row.concept_id} ({row.fact_code}) not added"
                )
            eng.register_arrow(to_facts.MAP_TABLE, resolved.arrow())
            for table in EVENTS:
                if source.has(table):
                    source.register(table, None if source.lazy else _filters(resolved, table))
        with steps.stage("units"):
            found = to_facts.number_units(eng, [t for t in EVENTS if source.has(t)])
            spellings = to_facts.unit_concept_spellings(source, found, cmap.units)
            unit_arrow, choices = to_facts.unit_table(found, spellings)
            eng.register_arrow(to_facts.UNITS_TABLE, unit_arrow)
        with steps.stage("population"):
            pop = eng.materialise(
                to_facts.POPULATION_TABLE,
                to_facts.population(eng, source, everyone=population == "all"),
            )
            person = eng.table("omop_person")
            counts = eng.to_arrow(
                person.aggregate(n=person.count()).cross_join(pop.aggregate(p=pop.count()))
            ).to_pylist()[0]
        with steps.stage("validate"):
            # Rows with a problem (every person) and the population's rows, in one pass.
            refused = sorted(
                (c.fact_code, c.unit_concept_id, c.unit_source_value, c.default_unit)
                for c in choices
                if c.factor is None
            )

            def build() -> str:
                kept = to_facts.checked_rows(
                    eng, source, resolved, cmap.answers, index_date, keep=pop, bad_units=refused
                )
                return to_facts.checked_sql(eng, kept)

            present = ["person", *[t for t in EVENTS if source.has(t)]]
            parts = {
                "dialect": eng.dialect,
                "index_date": index_date.isoformat(),
                "map": sorted(json.dumps(r, sort_keys=True, default=str) for r in resolved.rows),
                "answers": sorted(cmap.answers.items()),
                "bad_units": refused,
                "tables": {t: str(eng.table(view_name(t)).schema()) for t in present},
                "population": str(pop.schema()),
            }
            checked_sql = sqlcache.cached("checked", parts, CHECKED_PACKAGES, build)
            # Kept in the order of the codes: each criterion's scan of the facts skips the row
            # groups of the other codes. Sorted on the code's rank (a small integer: measured,
            # sorting on the text cost more than the screen saved; sorting by person too does
            # not pay).
            eng.materialise_sql(to_facts.CHECKED_TABLE, checked_sql, order_by=("code_rank",))
            checked = eng.bind(to_facts.CHECKED_TABLE, to_facts.checked_schema())
            rejects = eng.to_arrow(
                checked.filter(checked.problem.notnull())
                .select(
                    "omop_table",
                    "row_id",
                    "person_id",
                    "concept_id",
                    fact_code=checked.code,
                    problem_column=checked.problem_column,
                    problem_value=checked.problem_value,
                    problem=checked.problem,
                )
                .order_by(["omop_table", "row_id", "fact_code"])
            )
        with steps.stage("facts"):
            # A view: the rows are the checked table's, already in the facts' form.
            eng.create_view(
                to_facts.FACTS_TABLE, to_facts.facts_view_sql(to_facts.CHECKED_TABLE, eng.quote)
            )
            facts = eng.bind(to_facts.FACTS_TABLE, ibis_schema())
            n_facts = int(eng.to_arrow(facts.aggregate(n=facts.count())).column("n")[0].as_py())
    except BaseException:
        if source is not None:
            source.close()
        eng.close()
        raise
    return Prepared(
        engine=eng,
        source=source,
        warehouse=warehouse.describe(),
        persons=int(counts["n"]),
        population=int(counts["p"]),
        facts=n_facts,
        rejects=rejects,
        notes=notes,
        units=[
            {
                "fact_code": c.fact_code,
                "unit_concept_id": c.unit_concept_id,
                "unit_source_value": c.unit_source_value,
                "default_unit": c.default_unit,
                "unit": c.spelling,
                "factor": c.factor,
                "canonical": c.canonical,
                "problem": c.problem,
            }
            for c in choices
        ],
    )


def prescreen(
    location: str | Path,
    index_date: dt.date,
    out_dir: str | Path | None = None,
    *,
    engine: EngineName = "duckdb",
    role: Role = "recipient",
    population: Population | None = None,
    settings: ProtocolSettings = DEFAULT,
    concept_map: ConceptMap | None = None,
    spark: Any = None,
    progress: bool = False,
    exact_top: int = EXACT_TOP,
) -> PrescreenResult:
    """Screen every person of an OMOP warehouse as of ``index_date`` — by default the SSc
    population for the recipient criteria, everyone for the donor criteria; write the outputs
    to ``out_dir`` when given (see :mod:`sclerocell.prescreen.report`)."""
    if population is None:
        population = "ssc" if role == "recipient" else "all"
    cmap = concept_map or load_map()
    steps = Progress(progress)
    eng = make_engine(engine, spark)
    screen_sql = _start_screen_sql(eng.dialect, role, index_date, settings)
    try:
        prepared = prepare(
            location,
            index_date,
            engine=eng,
            population=population,
            concept_map=cmap,
            steps=steps,
        )
        waits: list[Callable[[], None]] = []
        try:

            def write_facts() -> None:
                # Once the criteria have run: the fact table is written while Python ranks
                # the lists and writes the reports.
                if out_dir is not None:
                    folder = Path(out_dir)
                    folder.mkdir(parents=True, exist_ok=True)
                    waits.append(prepared.start_write_facts(folder / "facts.parquet"))

            result = _screen(
                prepared,
                steps,
                index_date,
                role,
                settings,
                exact_top,
                screen_sql(),
                after_screen=write_facts,
            )
            result.engine = engine
            result.population_rule = population
            result.map_summary = summary(cmap)
            result.seconds = steps.seconds
            with steps.stage("write"):
                if out_dir is not None:
                    from sclerocell.prescreen.report import write

                    result.out_dir = write(result, Path(out_dir))
                    while waits:
                        waits.pop()()
            return result
        finally:
            for wait in waits:
                with contextlib.suppress(Exception):
                    wait()
            prepared.close()
    finally:
        steps.close()


# The packages the compiled criteria are made of (their source is part of the cache key).
CRITERIA_PACKAGES = ("criteria", "protocol", "facts", "clinical")
# The packages the checked rows are made of.
CHECKED_PACKAGES = ("prescreen", "facts", "clinical")

ScreenKey = tuple[str, Role, dt.date, ProtocolSettings]
# The compiled criteria already known to this process.
_COMPILED: dict[ScreenKey, str] = {}


def _start_screen_sql(
    dialect: str, role: Role, index_date: dt.date, settings: ProtocolSettings
) -> Callable[[], str]:
    """The core's compiled criteria over the fact table, as the engine's SQL (call the result
    to have it): at once when this process or the disk cache has it; otherwise compiled in a
    process of its own while the engine reads the warehouse — ~3 s of pure Python that, in a
    thread, held the interpreter lock against this process's own Python for as long."""
    key: ScreenKey = (dialect, role, index_date, settings)
    known = _COMPILED.get(key) or sqlcache.lookup("screen", _screen_parts(*key), CRITERIA_PACKAGES)
    if known is not None:
        _COMPILED[key] = known
        return lambda: known
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    future = pool.submit(_compiled, *key)
    pool.shutdown(wait=False)

    def result() -> str:
        try:
            sql = future.result()
        except Exception:  # a process that could not run: compiled here instead
            sql = _compiled(*key)
        _COMPILED[key] = sql
        return sql

    return result


def _screen_parts(
    dialect: str, role: Role, index_date: dt.date, settings: ProtocolSettings
) -> dict[str, Any]:
    """What the compiled criteria depend on (with the source of :data:`CRITERIA_PACKAGES`)."""
    return {
        "protocol": settings.version,
        "settings": settings.to_dict(),
        "role": role,
        "index_date": index_date.isoformat(),
        "dialect": dialect,
        "table": to_facts.FACTS_TABLE,
    }


def _compiled(dialect: str, role: Role, index_date: dt.date, settings: ProtocolSettings) -> str:
    """Compiled for a dialect, role, index date and settings (~2–3 s of Python), and kept on
    disk (:mod:`sclerocell.prescreen.sqlcache`) for the next runs."""

    def build() -> str:
        import ibis

        facts = ibis.table(ibis_schema(), name=to_facts.FACTS_TABLE)
        expr = compile_screen(role, facts, index_date, settings)
        return str(ibis.to_sql(expr, dialect=dialect))

    parts = _screen_parts(dialect, role, index_date, settings)
    return sqlcache.cached("screen", parts, CRITERIA_PACKAGES, build)


def _screen(
    prepared: Prepared,
    steps: Progress,
    index_date: dt.date,
    role: Role,
    settings: ProtocolSettings,
    exact_top: int,
    screen_sql: str,
    after_screen: Callable[[], None] | None = None,
) -> PrescreenResult:
    """The criteria over the population's facts: statuses, funnel, lists (``after_screen``
    called once the statuses are computed)."""
    import ibis
    import pyarrow as pa
    import pyarrow.compute as pc

    eng = prepared.engine
    facts = prepared.facts_table()
    pop = eng.table(to_facts.POPULATION_TABLE)
    with steps.stage("screen"):
        root = criteria(role, settings)
        # A view: run once, inside the statuses below.
        eng.create_view("prescreen_screen", screen_sql)
        raw = eng.table("prescreen_screen")
        no_facts = screen(role, [], index_date, settings).result.statuses()
        ids = [c for c in raw.columns if c != "subject_id"]
        last = facts.filter(facts.date <= ibis.literal(index_date))
        last = last.group_by("subject_id").aggregate(last_data_date=last.date.max())
        last = last.rename(l_subject="subject_id")
        subjects = pop.select(p_subject=pop.person_id.cast("string"))
        joined = subjects.left_join(raw, subjects.p_subject == raw.subject_id)
        joined = joined.left_join(last, joined.p_subject == last.l_subject)
        observed = _observed_until(prepared, pop)
        joined = joined.left_join(observed, joined.p_subject == observed.o_subject)
        statuses = eng.materialise(
            STATUSES_TABLE,
            joined.select(
                subject_id=joined.p_subject,
                last_data_date=joined.last_data_date,
                observed_until=joined.observed_until,
                **{
                    i: joined[i].fill_null(ibis.literal(no_facts[i].code, "int8")).cast("int8")
                    for i in ids
                },
            ),
        )
        status_arrow = eng.to_arrow(statuses.order_by("subject_id"))
    if after_screen is not None:
        after_screen()
    with steps.stage("funnel"):
        funnel = funnel_table(root, _counts(status_arrow, ids), prepared.population)
    with steps.stage("lists"):
        verdicts = status_arrow.column(role)
        eligible_arrow = status_arrow.filter(pc.equal(verdicts, Status.MET.code))
        undetermined = pa.array([Status.UNKNOWN.code, Status.NOT_ASSESSABLE.code], pa.int8())
        open_ = status_arrow.filter(pc.is_in(verdicts, undetermined))
        main = [n.id for n in _main_criteria(root)]
        eligible = rank(root, eligible_arrow, index_date, main).table
        ranked = rank(root, open_, index_date, main)
        to_confirm, disagreements = _exact_head(
            eng, ranked.table, status_arrow, role, index_date, settings, exact_top
        )
    return PrescreenResult(
        role=role,
        index_date=index_date,
        engine=eng.name,
        settings=settings,
        warehouse=prepared.warehouse,
        population_rule="ssc",
        persons=prepared.persons,
        population=prepared.population,
        facts=prepared.facts,
        funnel=funnel,
        statuses=status_arrow,
        eligible=eligible,
        to_confirm=to_confirm,
        rejects=prepared.rejects,
        notes=list(prepared.notes),
        units=prepared.units,
        disagreements=disagreements,
    )


def _observed_until(prepared: Prepared, pop: Any) -> Any:
    """The end of each screened person's last observation period (NULL without the table)."""
    import ibis

    from sclerocell.prescreen.omop import typed

    eng = prepared.engine
    if not prepared.source.has("observation_period"):
        return pop.select(
            o_subject=pop.person_id.cast("string"), observed_until=ibis.null("date")
        ).limit(0)
    t = eng.table(prepared.source.register("observation_period"))
    person, _ = typed(t.person_id, "int64")
    end, _ = typed(t.observation_period_end_date, "date")
    periods = t.select(o_person=person, o_end=end)
    periods = periods.filter(periods.o_person.isin(pop.person_id))
    agg = periods.group_by("o_person").aggregate(observed_until=periods.o_end.max())
    return agg.select(o_subject=agg.o_person.cast("string"), observed_until=agg.observed_until)


def _main_criteria(root: Criterion) -> list[Criterion]:
    """The criteria of CRITERIA.md's tables: the members of the inclusion and non-inclusion
    groups."""
    found: list[Criterion] = []
    for group in root.children():
        found.extend(group.children())
    return found


def _exact_head(
    eng: Engine,
    table: pa.Table,
    statuses: pa.Table,
    role: Role,
    index_date: dt.date,
    settings: ProtocolSettings,
    top: int,
) -> tuple[pa.Table, list[str]]:
    """The first ``top`` persons of the work list on the one-person path: each of their
    deciding leaves evaluated on their own facts gives the exact "what would decide it"
    (``Result.missing``'s texts: the leaves the list names are the ones it reaches), and its
    status is checked against the screen's; the first :data:`FULL_CHECK` are screened whole
    and every status compared."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if table.num_rows == 0 or top <= 0:
        exact = pa.array([False] * table.num_rows, pa.bool_())
        return table.append_column("exact", exact), []
    head = table.column("person_id").slice(0, top).to_pylist()
    undecided = table.column("undecided").slice(0, top).to_pylist()
    # Read by the integer person_id of the checked rows, not by the text subject_id.
    ids = ", ".join(str(int(p)) for p in head)
    rows = as_fact_table(
        eng.run_sql(
            f"SELECT {to_facts.fact_select(eng.quote)} FROM {to_facts.CHECKED_TABLE} "  # noqa: S608 - integers
            f"WHERE problem IS NULL AND person_id IN ({ids})"
        )
    )
    by_person: dict[str, list[Any]] = {p: [] for p in head}
    for fact in from_arrow(rows):
        by_person[fact.subject_id].append(fact)
    vectorised = {
        r["subject_id"]: r
        for r in statuses.filter(
            pc.is_in(statuses.column("subject_id"), pa.array(head))
        ).to_pylist()
    }
    root = criteria(role, settings)
    leaves = {n.id: n for n in walk(root) if isinstance(n, Leaf)}
    en = table.column("to_obtain_en").to_pylist()
    fr = table.column("to_obtain_fr").to_pylist()
    disagreements = []
    for i, person in enumerate(head):
        expected = vectorised[person]
        facts_of = PersonFacts(by_person[person])
        if i < FULL_CHECK:
            got = screen(role, facts_of, index_date, settings).result.statuses()
            wrong = [k for k, s in got.items() if s.code != expected[k]]
        else:
            wrong = []
        texts = []
        for leaf_id in undecided[i].split():
            out = leaves[leaf_id].evaluate(facts_of, index_date)
            if out.status.code != expected[leaf_id] and leaf_id not in wrong:
                wrong.append(leaf_id)
            if out.missing is not None:
                texts.append((leaf_id, out.missing))
        if wrong:
            disagreements.append(f"{person}: {', '.join(wrong)}")
        en[i] = " | ".join(f"{leaf}: {text.en}" for leaf, text in texts)
        fr[i] = " | ".join(f"{leaf}: {text.fr}" for leaf, text in texts)
    exact = [i < len(head) for i in range(table.num_rows)]
    out = table.set_column(
        table.column_names.index("to_obtain_en"), "to_obtain_en", pa.array(en, pa.string())
    )
    out = out.set_column(
        out.column_names.index("to_obtain_fr"), "to_obtain_fr", pa.array(fr, pa.string())
    )
    return out.append_column("exact", pa.array(exact, pa.bool_())), disagreements


def explain(out_dir: str | Path, person_id: str | int) -> Any:
    """One person's full screening (the screening page's result tree) from a pre-screen's
    outputs: their facts screened one by one with the run's index date and settings."""
    import json

    import pyarrow.parquet as pq

    folder = Path(out_dir)
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    mine = pq.read_table(folder / "facts.parquet", filters=[("subject_id", "=", str(person_id))])
    settings = ProtocolSettings.from_mapping(run["settings"])
    facts = from_arrow(as_fact_table(mine))
    return screen(run["role"], facts, dt.date.fromisoformat(run["index_date"]), settings)
