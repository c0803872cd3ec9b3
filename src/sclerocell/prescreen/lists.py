"""The funnel and the work lists, from the per-person statuses.

- **Funnel**: for every criterion and group, how many persons are met / not met / unknown / to be
  assessed by a person.
- **Eligible**: the verdict is met.
- **To confirm**: the verdict is undetermined — the person would be eligible if the missing data
  (or the investigator's answers) confirm it. Ranked by the number of data to obtain, then of
  answers to obtain, then by the recency of their data. "What would decide it" lists the
  undetermined criteria that can still change the verdict (an undetermined leaf reached through
  undetermined groups only — the rule of ``Result.missing``), with the core's own text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sclerocell.criteria.base import Criterion, Leaf
from sclerocell.criteria.compiler import NO_FACTS
from sclerocell.criteria.evaluate import walk
from sclerocell.criteria.logic import Ref
from sclerocell.criteria.status import BY_CODE, Status
from sclerocell.criteria.text import Text

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

STATUS_ORDER = (Status.MET, Status.NOT_MET, Status.UNKNOWN, Status.NOT_ASSESSABLE)
# The columns of the statuses table that are not criteria.
INFO = ("subject_id", "last_data_date", "observed_until")


def status_lookup() -> pa.Array:
    """The status names, each at the place of its code."""
    import pyarrow as pa

    return pa.array([BY_CODE[c].value for c in range(len(BY_CODE))], pa.string())


def names_of(codes: np.ndarray) -> pa.Array:
    """Status codes (int8) → their names, vectorised."""
    import numpy as np
    import pyarrow as pa

    # A take in Arrow's own code: no Python string per value.
    return status_lookup().take(pa.array(np.asarray(codes).astype(np.int64)))


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    kind: str
    depth: int
    parent: str | None
    text: Text
    leaf: bool


def nodes(root: Criterion) -> list[Node]:
    found: list[Node] = []

    def visit(node: Criterion, depth: int, parent: str | None) -> None:
        found.append(Node(node.id, node.kind, depth, parent, node.text, isinstance(node, Leaf)))
        for child in node.children():
            visit(child, depth + 1, node.id)

    visit(root, 0, None)
    return found


def no_data_text(leaf: Leaf, index_date: dt.date) -> Text | None:
    """The core's "what would decide it" for a leaf without data."""
    return leaf.evaluate(NO_FACTS, index_date).missing


def funnel_table(root: Criterion, counts: dict[str, int], population: int) -> pa.Table:
    """One row per criterion: its place in the tree and its counts by status."""
    import pyarrow as pa

    rows: dict[str, list[Any]] = {
        k: []
        for k in (
            "criterion",
            "kind",
            "depth",
            "parent",
            "text_fr",
            "text_en",
            "met",
            "not_met",
            "unknown",
            "not_assessable",
            "persons",
        )
    }
    for node in nodes(root):
        rows["criterion"].append(node.id)
        rows["kind"].append(node.kind)
        rows["depth"].append(node.depth)
        rows["parent"].append(node.parent)
        rows["text_fr"].append(node.text.fr)
        rows["text_en"].append(node.text.en)
        for status in STATUS_ORDER:
            rows[status.value].append(counts.get(f"{node.id}::{status.code}", 0))
        rows["persons"].append(population)
    types = {"depth": pa.int32()}
    int_cols = ("met", "not_met", "unknown", "not_assessable", "persons")
    return pa.table(
        {
            k: pa.array(v, types.get(k, pa.int64() if k in int_cols else pa.string()))
            for k, v in rows.items()
        }
    )


def deciding(root: Criterion, columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """For every leaf: a boolean per person, the leaf is undetermined and every group above it
    is undetermined (so obtaining it can change the verdict)."""
    import numpy as np

    determined = {Status.MET.code, Status.NOT_MET.code}
    out: dict[str, np.ndarray] = {}

    def undetermined(node_id: str) -> np.ndarray:
        col = columns[node_id]
        return ~np.isin(col, list(determined))

    def visit(node: Criterion, reach: np.ndarray) -> None:
        here = reach & undetermined(node.id)
        if isinstance(node, Leaf):
            out[node.id] = here
        elif not isinstance(node, Ref):
            for child in node.children():
                visit(child, here)

    n = len(next(iter(columns.values()))) if columns else 0
    visit(root, np.ones(n, dtype=bool))
    return out


@dataclass
class Ranked:
    table: pa.Table
    leaf_ids: list[list[str]]


def rank(
    root: Criterion,
    statuses: pa.Table,
    index_date: dt.date,
    main: list[str],
) -> Ranked:
    """The "to confirm" list: persons whose verdict is undetermined, ranked, with what would
    decide each (leaf ids and the core's texts for missing data)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = {
        name: statuses.column(name).to_numpy(zero_copy_only=False)
        for name in statuses.column_names
        if name not in INFO
    }
    flags = deciding(root, columns)
    leaves = {n.id: n for n in walk(root) if isinstance(n, Leaf)}
    unknown_code, assess_code = Status.UNKNOWN.code, Status.NOT_ASSESSABLE.code
    n = statuses.num_rows
    n_unknown = np.zeros(n, dtype=np.int32)
    n_assess = np.zeros(n, dtype=np.int32)
    for leaf_id, mask in flags.items():
        n_unknown += mask & (columns[leaf_id] == unknown_code)
        n_assess += mask & (columns[leaf_id] == assess_code)
    last = statuses.column("last_data_date")
    last_days = pc.fill_null(last.cast(pa.int32()), -(10**9)).to_numpy(zero_copy_only=False)
    subjects = statuses.column("subject_id").to_pylist()
    # Ranked: fewest data to obtain, fewest answers, most recent data, then the id.
    order = np.lexsort(
        (np.array(subjects, dtype=object), -last_days.astype(np.int64), n_assess, n_unknown)
    )
    ids_per_person: list[list[str]] = [[] for _ in range(n)]
    for leaf_id in leaves:
        for i in np.flatnonzero(flags[leaf_id]):
            ids_per_person[i].append(leaf_id)
    texts: dict[str, Text | None] = {i: no_data_text(leaves[i], index_date) for i in leaves}
    ordered = [ids_per_person[i] for i in order]

    def joined(lang: str, ids: list[str]) -> str:
        parts = []
        for leaf_id in ids:
            text = texts[leaf_id]
            shown = (text.fr if lang == "fr" else text.en) if text else leaf_id
            parts.append(f"{leaf_id}: {shown}")
        return " | ".join(parts)

    table = pa.table(
        {
            "rank": pa.array(np.arange(1, n + 1), pa.int32()),
            "person_id": pa.array([subjects[i] for i in order], pa.string()),
            "verdict": names_of(columns[root.id][order]),
            "n_unknown": pa.array(n_unknown[order], pa.int32()),
            "n_to_assess": pa.array(n_assess[order], pa.int32()),
            "last_data_date": last.take(pa.array(order)),
            "observed_until": statuses.column("observed_until").take(pa.array(order)),
            "undecided": pa.array([" ".join(ids) for ids in ordered], pa.string()),
            "to_obtain_en": pa.array([joined("en", ids) for ids in ordered], pa.string()),
            "to_obtain_fr": pa.array([joined("fr", ids) for ids in ordered], pa.string()),
            **{name: names_of(columns[name][order]) for name in main},
        }
    )
    return Ranked(table, ordered)


def status_names(table: pa.Table, keep: tuple[str, ...] = INFO) -> pa.Table:
    """Status codes → names (``met``, ``not_met``…), other columns unchanged. The names are
    dictionary-encoded (each column is its codes and the four names: read back as text, and
    written to Parquet without a string per person and criterion)."""
    import numpy as np
    import pyarrow as pa

    lookup = status_lookup()
    columns = {}
    for name in table.column_names:
        col = table.column(name)
        if name in keep:
            columns[name] = col
        else:
            codes = pa.array(col.to_numpy(zero_copy_only=False).astype(np.int8))
            columns[name] = pa.DictionaryArray.from_arrays(codes, lookup)
    return pa.table(columns)


def iter_leaves(root: Criterion) -> Iterator[Leaf]:
    for node in walk(root):
        if isinstance(node, Leaf):
            yield node
