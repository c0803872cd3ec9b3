"""The many-person path: a criteria tree compiled to one ibis table expression.

Each leaf compiles to at most one (subject_id, status) row per subject; the leaves are left-joined
onto the subjects of the fact table (a pivot by aggregation was 10× slower on DuckDB); subjects
without a row get the leaf's no-data status; groups are then computed as column expressions, one
projection per tree level. The result has one row per subject and one status column per criterion
id (int8 codes of :mod:`sclerocell.criteria.status`, or their names). The expression is portable SQL
(window functions, CASE, GREATEST/LEAST, FILTER, outer joins); DuckDB runs it here, and the
warehouse screen can run it on another ibis backend.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sclerocell.criteria.base import Criterion, Group, Leaf, SqlContext
from sclerocell.criteria.evaluate import check_tree, post_order, walk
from sclerocell.criteria.logic import Ref
from sclerocell.criteria.select import PersonFacts
from sclerocell.criteria.status import BY_CODE
from sclerocell.facts.schema import ibis_schema

if TYPE_CHECKING:
    import pyarrow as pa

NO_FACTS = PersonFacts(())


def node_ids(root: Criterion) -> list[str]:
    return [n.id for n in walk(root)]


def compile_tree(root: Criterion, facts: Any, index_date: dt.date, *, names: bool = False) -> Any:
    """``root`` over the ibis fact table ``facts``: subject_id + one status column per criterion
    (int8 codes of :mod:`sclerocell.criteria.status`, or their names with ``names=True``)."""

    check_tree(root)
    sql = SqlContext(facts, index_date)
    leaves = [n for n in walk(root) if isinstance(n, Leaf)]
    # One row per subject, then each leaf's (at most one) row per subject joined on; subjects
    # without a row for a leaf get the leaf's status on no facts at all.
    subjects = facts.select("subject_id").distinct()
    wide = subjects
    for n, leaf in enumerate(leaves):
        rows = leaf.compile(sql)
        rows = rows.select(**{f"_s{n}": rows.subject_id, f"_v{n}": rows.status.cast("int8")})
        wide = wide.left_join(rows, subjects.subject_id == rows[f"_s{n}"])
    wide = wide.select(
        "subject_id",
        **{
            leaf.id: wide[f"_v{n}"].fill_null(leaf.evaluate(NO_FACTS, index_date).status.code)
            for n, leaf in enumerate(leaves)
        },
    )
    # Groups one tree level at a time: each level is a projection over the previous one, so a
    # member's column is computed once however often its parent refers to it.
    heights = _heights(root)
    levels: dict[int, list[Criterion]] = {}
    for node in walk(root):
        if heights[node.id]:
            levels.setdefault(heights[node.id], []).append(node)
    for height in sorted(levels):
        columns: dict[str, Any] = {}
        for node in levels[height]:
            if isinstance(node, Ref):
                columns[node.id] = wide[node.target]
            elif isinstance(node, Group):
                columns[node.id] = node.combine_sql([wide[c.id] for c in node.children()])
        wide = wide.mutate(**columns)
    ids = node_ids(root)
    if names:
        branches = [(code, status.value) for code, status in BY_CODE.items()]
        return wide.select("subject_id", **{i: wide[i].cases(*branches) for i in ids})
    return wide.select("subject_id", *ids)


def _heights(root: Criterion) -> dict[str, int]:
    """0 for leaves; a group sits one level above its highest member, a reference above its
    target."""
    heights: dict[str, int] = {}
    for node in post_order(root):
        if isinstance(node, Ref):
            heights[node.id] = heights[node.target] + 1
        elif isinstance(node, Group):
            heights[node.id] = 1 + max(heights[c.id] for c in node.children())
        else:
            heights[node.id] = 0
    return heights


@lru_cache(maxsize=32)
def to_sql(
    root: Criterion, index_date: dt.date, dialect: str = "duckdb", table: str = "facts"
) -> str:
    """The SQL of :func:`compile_tree` over a table named ``table`` (status names, not codes)."""
    import ibis

    facts = ibis.table(ibis_schema(), name=table)
    return str(ibis.to_sql(compile_tree(root, facts, index_date, names=True), dialect=dialect))


def run_duckdb(
    root: Criterion, index_date: dt.date, facts: pa.Table, connection: Any = None
) -> pa.Table:
    """Screen every subject of an arrow fact table on DuckDB (one row per subject).

    The facts are first copied into a DuckDB table ordered by code, so that each criterion reads
    only the row groups of its codes.
    """
    import duckdb

    con = duckdb.connect() if connection is None else connection
    con.register("facts_input", facts)
    try:
        con.sql(
            "CREATE OR REPLACE TEMP TABLE facts AS "
            "SELECT * FROM facts_input ORDER BY code, subject_id"
        )
        result: pa.Table = con.sql(to_sql(root, index_date)).to_arrow_table()
    finally:
        con.unregister("facts_input")
        con.sql("DROP TABLE IF EXISTS facts")
    return result
