"""Age at the index date from the month and year of birth (the research database holds no full
date of birth). The age in completed years is known exactly except inside the birth month, where
it is one of two values; the criterion is `unknown` only if those two values disagree on it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from sclerocell.criteria.base import Leaf, Outcome, SqlContext, code
from sclerocell.criteria.result import FactUse
from sclerocell.criteria.select import PersonFacts, Select
from sclerocell.criteria.status import Status
from sclerocell.criteria.text import Text
from sclerocell.criteria.windows import days_in_month

BIRTH = Select(("birth_month",), value="any")


def age_bounds(birth_month: dt.date, index_date: dt.date) -> tuple[int, int]:
    """(youngest, oldest) possible age in completed years for someone born in that month."""
    oldest = index_date.year - birth_month.year - (1 if index_date.month < birth_month.month else 0)
    unsure = index_date.month == birth_month.month and index_date.day < days_in_month(
        birth_month.year, birth_month.month
    )
    return oldest - (1 if unsure else 0), oldest


def age_bounds_sql(birth: Any, index_date: dt.date) -> tuple[Any, Any]:
    """:func:`age_bounds` on an ibis date column."""
    import ibis

    year, month = birth.year(), birth.month()
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    dim = ibis.cases(
        (month == 2, ibis.ifelse(leap, 29, 28)),
        (month.isin([4, 6, 9, 11]), 30),
        else_=31,
    )
    oldest = index_date.year - year - ibis.ifelse(month > index_date.month, 1, 0)
    unsure = (month == index_date.month) & (dim > index_date.day)
    return oldest - ibis.ifelse(unsure, 1, 0), oldest


@dataclass(frozen=True, kw_only=True)
class AgeAt(Leaf):
    """Age within bounds (each inclusive or strict) at the index date."""

    kind: ClassVar[str] = "age"
    id: str
    text: Text
    lower: int
    upper: int
    lower_inclusive: bool
    upper_inclusive: bool
    reading: Text | None = None

    def _ok(self, age: int) -> bool:
        above = age >= self.lower if self.lower_inclusive else age > self.lower
        below = age <= self.upper if self.upper_inclusive else age < self.upper
        return above and below

    def _ok_sql(self, age: Any) -> Any:
        above = age >= self.lower if self.lower_inclusive else age > self.lower
        below = age <= self.upper if self.upper_inclusive else age < self.upper
        return above & below

    def evaluate(self, person: PersonFacts, index_date: dt.date) -> Outcome:
        fact = person.latest(BIRTH, index_date)
        if fact is None or fact.date is None:
            return Outcome(
                Status.UNKNOWN,
                Text("Mois de naissance non renseigné", "Month of birth not recorded"),
                missing=Text("le mois et l'année de naissance", "the month and year of birth"),
            )
        youngest, oldest = age_bounds(fact.date, index_date)
        born = fact.date.strftime("%Y-%m")
        uses = (FactUse("birth_month", fact),)
        values = (("age_min_years", youngest), ("age_max_years", oldest))
        ok_young, ok_old = self._ok(youngest), self._ok(oldest)
        if ok_young != ok_old:
            return Outcome(
                Status.UNKNOWN,
                Text(
                    f"Âge {youngest} ou {oldest} ans à la date index (né·e en {born}) : "
                    "l'anniversaire tombe dans le mois de la date index",
                    f"Age {youngest} or {oldest} years at the index date (born {born}): "
                    "the birthday falls in the index month",
                ),
                uses,
                values,
                missing=Text(
                    "le jour de naissance (la borne d'âge tombe dans le mois de naissance)",
                    "the day of birth (the age boundary falls inside the birth month)",
                ),
            )
        age = (
            Text(f"{oldest} ans", f"{oldest} years")
            if youngest == oldest
            else Text(f"{youngest} ou {oldest} ans", f"{youngest} or {oldest} years")
        )
        lo = "≥" if self.lower_inclusive else ">"
        hi = "≤" if self.upper_inclusive else "<"
        bounds = f"{lo} {self.lower}, {hi} {self.upper}"
        return Outcome(
            Status.MET if ok_old else Status.NOT_MET,
            Text("Âge ", "Age ")
            + age
            + Text(
                f" à la date index (né·e en {born}) ; bornes {bounds}",
                f" at the index date (born {born}); bounds {bounds}",
            ),
            uses,
            values,
        )

    def compile(self, sql: SqlContext) -> Any:
        import ibis

        births = sql.latest(BIRTH).filter(lambda t: t.date.notnull())
        youngest, oldest = age_bounds_sql(births.date, sql.index_date)
        ok_young, ok_old = self._ok_sql(youngest), self._ok_sql(oldest)
        status = ibis.cases(
            (ok_young != ok_old, code(Status.UNKNOWN)),
            (ok_old, code(Status.MET)),
            else_=code(Status.NOT_MET),
        )
        return births.select("subject_id", status=status)
