"""What an evaluation returns: a tree of results, one per criterion, each with its evidence.

Evidence on every leaf: a sentence saying what was found (``summary``), the source facts used
(value, date, time, unit, source and source row id, and the role each played), the computed
values (an age, a score, a clearance…), the reading applied (the protocol setting), and — when
the answer is `unknown` or `not_assessable` — what data would decide it (``missing``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sclerocell.criteria.status import Status
from sclerocell.criteria.text import Text
from sclerocell.facts.schema import Fact

Scalar = float | int | str | bool | None


@dataclass(frozen=True, slots=True)
class FactUse:
    """A source fact and the role it played ("latest", "baseline", "item"…)."""

    role: str
    fact: Fact

    def to_dict(self) -> dict[str, Any]:
        f = self.fact
        return {
            "role": self.role,
            "code": f.code,
            "date": None if f.date is None else f.date.isoformat(),
            "time": None if f.time is None else f.time.isoformat(timespec="minutes"),
            "value_num": f.value_num,
            "value_text": f.value_text,
            "unit": f.unit,
            "ref_low": f.ref_low,
            "ref_high": f.ref_high,
            "source": f.source,
            "source_row_id": f.source_row_id,
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    summary: Text
    facts: tuple[FactUse, ...] = ()
    values: tuple[tuple[str, Scalar], ...] = ()
    reading: Text | None = None
    missing: Text | None = None

    def value(self, name: str) -> Scalar:
        for key, value in self.values:
            if key == name:
                return value
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary.to_dict(),
            "facts": [u.to_dict() for u in self.facts],
            "values": dict(self.values),
            "reading": None if self.reading is None else self.reading.to_dict(),
            "missing": None if self.missing is None else self.missing.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Result:
    id: str
    kind: str
    status: Status
    text: Text
    evidence: Evidence
    children: tuple[Result, ...] = field(default=())

    def walk(self, depth: int = 0) -> Iterator[tuple[int, Result]]:
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)

    def find(self, criterion_id: str) -> Result:
        for _, result in self.walk():
            if result.id == criterion_id:
                return result
        raise KeyError(criterion_id)

    def statuses(self) -> dict[str, Status]:
        return {r.id: r.status for _, r in self.walk()}

    def missing(self) -> list[tuple[str, Status, Text]]:
        """What would decide this result: every undetermined leaf reached through undetermined
        groups only (a leaf under a decided group cannot change the answer), in tree order."""
        if self.status.determined:
            return []
        if self.evidence.missing is not None and not self.children:
            return [(self.id, self.status, self.evidence.missing)]
        return [m for child in self.children for m in child.missing()]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status.value,
            "text": self.text.to_dict(),
            "evidence": self.evidence.to_dict(),
            "children": [c.to_dict() for c in self.children],
        }


def iso(day: dt.date | None) -> str:
    return "?" if day is None else day.isoformat()
