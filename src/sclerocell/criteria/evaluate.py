"""The one-person path: evaluate a criteria tree on one person's facts, with the evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from sclerocell.criteria.base import Criterion, Group, Leaf
from sclerocell.criteria.logic import Ref, status_label
from sclerocell.criteria.result import Evidence, Result
from sclerocell.criteria.select import PersonFacts
from sclerocell.criteria.text import Text
from sclerocell.facts.schema import Fact


def walk(node: Criterion) -> Iterator[Criterion]:
    """Every node, parents before children, in tree order."""
    yield node
    for child in node.children():
        yield from walk(child)


def check_tree(root: Criterion) -> None:
    """Ids are unique and every reference points to a node evaluated before it."""
    seen: set[str] = set()
    for node in post_order(root):
        if node.id in seen:
            raise ValueError(f"duplicate criterion id {node.id!r}")
        if isinstance(node, Ref) and node.target not in seen:
            raise ValueError(f"{node.id!r} refers to {node.target!r}, not evaluated before it")
        seen.add(node.id)


def post_order(node: Criterion) -> Iterator[Criterion]:
    for child in node.children():
        yield from post_order(child)
    yield node


def evaluate(root: Criterion, facts: Iterable[Fact] | PersonFacts, index_date: dt.date) -> Result:
    """The result tree of ``root`` for one person's ``facts`` as of ``index_date``."""
    person = facts if isinstance(facts, PersonFacts) else PersonFacts(facts)
    done: dict[str, Result] = {}

    def visit(node: Criterion) -> Result:
        if isinstance(node, Ref):
            target = done[node.target]
            label = status_label(target.status)
            result = Result(
                node.id,
                node.kind,
                target.status,
                node.text,
                Evidence(Text(f"Voir {target.id} : {label.fr}", f"See {target.id}: {label.en}")),
            )
        elif isinstance(node, Leaf):
            out = node.evaluate(person, index_date)
            result = Result(
                node.id,
                node.kind,
                out.status,
                node.text,
                Evidence(out.summary, out.facts, out.values, node.reading, out.missing),
            )
        elif isinstance(node, Group):
            children = tuple(visit(c) for c in node.children())
            result = Result(
                node.id,
                node.kind,
                node.combine([c.status for c in children]),
                node.text,
                Evidence(node.summarise(children)),
                children,
            )
        else:  # pragma: no cover - every node is a leaf, a group or a reference
            raise TypeError(f"unknown criterion node {node!r}")
        done[node.id] = result
        return result

    return visit(root)
