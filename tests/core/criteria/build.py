"""Small builders for criteria tests: facts for one subject, dated relative to the index date."""

from __future__ import annotations

import datetime as dt
import itertools

from sclerocell.criteria.base import Leaf
from sclerocell.criteria.evaluate import evaluate
from sclerocell.criteria.result import Result
from sclerocell.criteria.text import Text
from sclerocell.facts.schema import Fact

D = dt.date(2024, 5, 15)
T = Text("critère", "criterion")
_ids = itertools.count()


def days(n: int) -> dt.date:
    """The date ``n`` days before the index date."""
    return D - dt.timedelta(days=n)


def fact(
    code: str,
    date: dt.date | None = D,
    value: float | None = None,
    *,
    time: str | None = None,
    text: str | None = None,
    ref_high: float | None = None,
    row: str | None = None,
    subject: str = "S1",
) -> Fact:
    return Fact(
        subject,
        code,
        date,
        None if time is None else dt.time.fromisoformat(time),
        value,
        text,
        None,
        None,
        ref_high,
        "test",
        row or f"row-{next(_ids):05d}",
    )


def run(leaf: Leaf, *facts: Fact, index_date: dt.date = D) -> Result:
    return evaluate(leaf, facts, index_date)
