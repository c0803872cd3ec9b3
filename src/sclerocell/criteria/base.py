"""The two shapes of a criterion: a leaf that reads facts, and a group that combines criteria.

A leaf has two implementations of one meaning: ``evaluate`` (one person, in Python, with the
evidence) and ``compile`` (every person, as an ibis table expression with one row per subject
that has relevant facts: ``subject_id``, ``status`` as the integer code of
:mod:`sclerocell.criteria.status`). A subject without a row gets the status the leaf gives on no
facts at all — computed by ``evaluate`` itself, so "no data" cannot disagree. The hypothesis test
in ``tests/core/criteria`` proves the two implementations equal on random fact sets.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sclerocell.criteria.result import FactUse, Result, Scalar
from sclerocell.criteria.select import PersonFacts, Select
from sclerocell.criteria.status import Status
from sclerocell.criteria.text import Text


class Criterion(ABC):
    """A node of a criteria tree: a stable ``id`` and its text in both languages."""

    id: str
    text: Text
    kind: ClassVar[str]

    def children(self) -> tuple[Criterion, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class Outcome:
    """A leaf's answer for one person, with its evidence (see :class:`Evidence`)."""

    status: Status
    summary: Text
    facts: tuple[FactUse, ...] = ()
    values: tuple[tuple[str, Scalar], ...] = ()
    missing: Text | None = None


class Leaf(Criterion):
    reading: Text | None

    @abstractmethod
    def evaluate(self, person: PersonFacts, index_date: dt.date) -> Outcome: ...

    @abstractmethod
    def compile(self, sql: SqlContext) -> Any:
        """An ibis table (``subject_id``, ``status``) with at most one row per subject."""


class Group(Criterion):
    @abstractmethod
    def combine(self, statuses: Sequence[Status]) -> Status: ...

    @abstractmethod
    def combine_sql(self, columns: Sequence[Any]) -> Any:
        """The same combination on integer status columns (ibis expressions)."""

    @abstractmethod
    def summarise(self, children: Sequence[Result]) -> Text: ...


def code(status: Status) -> Any:
    """A status as an ibis int8 literal."""
    import ibis

    return ibis.literal(status.code, type="int8")


class SqlContext:
    """The fact table and the index date a compiled criterion reads."""

    def __init__(self, facts: Any, index_date: dt.date) -> None:
        self.facts = facts
        self.index_date = index_date

    def rows(self, sel: Select) -> Any:
        return self.facts.filter(sel.where(self.facts, self.index_date))

    @staticmethod
    def latest_order(table: Any) -> list[Any]:
        return [
            table.date.desc(nulls_first=False),
            table.time.desc(nulls_first=False),
            table.source_row_id.desc(),
        ]

    @classmethod
    def rank(cls, table: Any, by: Sequence[str] = ("subject_id",), order: Any = None) -> Any:
        """``table`` with ``rn``: 0 for the latest row of each ``by`` group (or the first by
        ``order``)."""
        import ibis

        window = ibis.window(
            group_by=[table[c] for c in by],
            order_by=cls.latest_order(table) if order is None else order,
        )
        return table.mutate(rn=ibis.row_number().over(window))

    def latest(self, sel: Select, by: Sequence[str] = ("subject_id",)) -> Any:
        ranked = self.rank(self.rows(sel), by)
        return ranked.filter(ranked.rn == 0)
