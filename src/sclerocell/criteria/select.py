"""Which facts a criterion looks at, written once for both paths.

A :class:`Select` names codes, the kind of value required and the time window; ``matches`` is
the one-person (Python) test and ``where`` the same test as an ibis boolean expression. Every
criterion kind reads facts only through a Select, so the two paths see the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sclerocell.criteria.windows import Window
from sclerocell.facts.schema import Fact, latest_key

ValueKind = Literal["num", "bool", "text", "any"]


@dataclass(frozen=True, slots=True)
class Select:
    """Facts of ``codes`` with a value of kind ``value``.

    ``window`` None: any date, undated included (statements, attributes). With a window: the
    date must fall inside it; ``undated`` also admits facts without a date.
    """

    codes: tuple[str, ...]
    value: ValueKind = "num"
    window: Window | None = None
    undated: bool = False

    def matches(self, fact: Fact, index_date: dt.date) -> bool:
        if fact.code not in self.codes:
            return False
        if self.value == "num" and fact.value_num is None:
            return False
        if self.value == "bool" and fact.value_num not in (0.0, 1.0):
            return False
        if self.value == "text" and fact.value_text is None:
            return False
        if self.window is None:
            return True
        if fact.date is None:
            return self.undated
        return self.window.contains(fact.date, index_date)

    def where(self, table: Any, index_date: dt.date) -> Any:
        """The same test on an ibis table of facts."""
        import ibis

        cond = table.code == self.codes[0] if len(self.codes) == 1 else table.code.isin(self.codes)
        if self.value == "num":
            cond &= table.value_num.notnull()
        elif self.value == "bool":
            cond &= table.value_num.isin([0.0, 1.0])
        elif self.value == "text":
            cond &= table.value_text.notnull()
        if self.window is not None:
            start, end = self.window.bounds(index_date)
            in_window = table.date <= ibis.literal(end)
            if start is not None:
                in_window &= table.date >= ibis.literal(start)
            cond &= (table.date.isnull() | in_window) if self.undated else in_window
        return cond


class PersonFacts:
    """One person's facts, indexed by code and sorted oldest → latest (see ``latest_key``)."""

    __slots__ = ("_by_code", "subject_id")

    def __init__(self, facts: Iterable[Fact]) -> None:
        by_code: dict[str, list[Fact]] = {}
        subject: str | None = None
        for fact in facts:
            by_code.setdefault(fact.code, []).append(fact)
            subject = fact.subject_id
        for rows in by_code.values():
            rows.sort(key=latest_key)
        self._by_code = by_code
        self.subject_id = subject

    def select(self, sel: Select, index_date: dt.date) -> list[Fact]:
        """The facts ``sel`` admits, oldest → latest."""
        if len(sel.codes) == 1:
            rows = self._by_code.get(sel.codes[0], [])
            return [f for f in rows if sel.matches(f, index_date)]
        found = [
            f
            for code in sel.codes
            for f in self._by_code.get(code, [])
            if sel.matches(f, index_date)
        ]
        found.sort(key=latest_key)
        return found

    def latest(self, sel: Select, index_date: dt.date) -> Fact | None:
        rows = self.select(sel, index_date)
        return rows[-1] if rows else None
