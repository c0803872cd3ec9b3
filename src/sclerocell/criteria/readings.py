"""Repeated readings: two qualifying readings at least a minimum time apart (R-V3: blood pressure
≥ 160 systolic or > 110 diastolic on two readings ≥ 12 h apart).

Two readings are apart when both times are known and differ by at least the gap, or when a time
is missing and the dates differ (CRITERIA.md: readings whose times are unknown count as apart only
on different dates). A systolic and a diastolic value with the same date and time — or the same
date and no time — are one reading. Met when a pair is apart; otherwise `unknown` when any
qualifying reading exists (a further reading would decide), `not_met` when readings exist and
none qualifies, `unknown` without any reading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import combinations
from typing import Any, ClassVar

from sclerocell.criteria.base import Leaf, Outcome, SqlContext, code
from sclerocell.criteria.result import FactUse
from sclerocell.criteria.select import PersonFacts, Select
from sclerocell.criteria.status import Status
from sclerocell.criteria.text import OPERATORS, Text, num
from sclerocell.criteria.values import OPS, Op, describe_value, missing_value
from sclerocell.criteria.windows import Window
from sclerocell.facts import codes
from sclerocell.facts.schema import Fact

EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class Qualifier:
    code: str
    op: Op
    threshold: float


def _seconds(f: Fact) -> int | None:
    if f.date is None or f.time is None:
        return None
    return (f.date - EPOCH).days * 86400 + f.time.hour * 3600 + f.time.minute * 60 + f.time.second


@dataclass(frozen=True, kw_only=True)
class RepeatedReadings(Leaf):
    kind: ClassVar[str] = "repeated_readings"
    id: str
    text: Text
    qualifiers: tuple[Qualifier, ...]
    window: Window
    min_gap_hours: int
    reading: Text | None = None

    @property
    def select(self) -> Select:
        return Select(tuple(q.code for q in self.qualifiers), "num", self.window)

    def _qualifies(self, f: Fact) -> bool:
        return any(
            q.code == f.code and bool(OPS[q.op](f.value_num, q.threshold)) for q in self.qualifiers
        )

    def _apart(self, a: Fact, b: Fact) -> bool:
        sa, sb = _seconds(a), _seconds(b)
        if sa is not None and sb is not None:
            return abs(sa - sb) >= self.min_gap_hours * 3600
        return a.date != b.date

    @staticmethod
    def _undecidable(a: Fact, b: Fact) -> bool:
        same_reading = a.time is None and b.time is None and a.code != b.code
        return a.date == b.date and (a.time is None or b.time is None) and not same_reading

    def evaluate(self, person: PersonFacts, index_date: dt.date) -> Outcome:
        rows = person.select(self.select, index_date)
        qualifying = [f for f in rows if self._qualifies(f)]
        pair = next(((a, b) for a, b in combinations(qualifying, 2) if self._apart(a, b)), None)
        rule = Text(" ou ", " or ").join(
            [
                Text(
                    f"{codes.label(q.code).fr} {OPERATORS[q.op]} {num(q.threshold, 'fr')}",
                    f"{codes.label(q.code).en} {OPERATORS[q.op]} {num(q.threshold, 'en')}",
                )
                for q in self.qualifiers
            ]
        )
        gap = f"{self.min_gap_hours} h"
        values = (("reading_count", len(rows)), ("qualifying_count", len(qualifying)))
        if pair is not None:
            return Outcome(
                Status.MET,
                Text(f"Deux mesures à ≥ {gap} d'intervalle : ", f"Two readings ≥ {gap} apart: ")
                + Text(" ; ", "; ").join([describe_value(pair[0]), describe_value(pair[1])]),
                (FactUse("reading", pair[0]), FactUse("reading", pair[1])),
                values,
            )
        uses = tuple(FactUse("qualifying", f) for f in qualifying)
        if qualifying:
            undecidable = any(self._undecidable(a, b) for a, b in combinations(qualifying, 2))
            missing = (
                Text(
                    "l'heure des mesures faites le même jour",
                    "the times of the readings taken on the same day",
                )
                if undecidable
                else Text(
                    f"une seconde mesure ({rule.fr}) à ≥ {gap} d'intervalle",
                    f"a second reading ({rule.en}) ≥ {gap} apart",
                )
            )
            return Outcome(
                Status.UNKNOWN,
                Text(
                    f"{len(qualifying)} valeur(s) ({rule.fr}) mais pas deux mesures à ≥ {gap} "
                    "d'intervalle",
                    f"{len(qualifying)} value(s) ({rule.en}) but not two readings ≥ {gap} apart",
                ),
                uses,
                values,
                missing,
            )
        if rows:
            return Outcome(
                Status.NOT_MET,
                Text(
                    f"Aucune des {len(rows)} valeurs ({rule.fr}) ",
                    f"None of {len(rows)} values ({rule.en}) ",
                )
                + self.window.describe(),
                tuple(FactUse("reading", f) for f in rows),
                values,
            )
        return Outcome(
            Status.UNKNOWN,
            Text("Aucune mesure ", "No reading ") + self.window.describe(),
            missing=missing_value(self.qualifiers[0].code, self.window),
        )

    def compile(self, sql: SqlContext) -> Any:
        import ibis

        rows = sql.rows(self.select)
        qualifies = ibis.or_(
            *[
                (rows.code == q.code) & OPS[q.op](rows.value_num, q.threshold)
                for q in self.qualifiers
            ]
        )
        seconds = (
            rows.date.delta(ibis.literal(EPOCH), unit="day") * 86400
            + rows.time.hour() * 3600
            + rows.time.minute() * 60
            + rows.time.second()
        )
        rows = rows.mutate(q=qualifies, secs=seconds)
        per_subject = rows.group_by("subject_id").aggregate(any_q=rows.q.any())
        q = rows.filter(rows.q).select("subject_id", "date", "secs", "source_row_id")
        a = q.rename(a_subject="subject_id", a_date="date", a_secs="secs", a_id="source_row_id")
        b = q.rename(b_subject="subject_id", b_date="date", b_secs="secs", b_id="source_row_id")
        timed = a.a_secs.notnull() & b.b_secs.notnull()
        apart = ibis.ifelse(
            timed, (a.a_secs - b.b_secs).abs() >= self.min_gap_hours * 3600, a.a_date != b.b_date
        )
        pairs = a.join(b, [a.a_subject == b.b_subject, a.a_id < b.b_id, apart])
        apart_subjects = pairs.select(apart_subject=pairs.a_subject).distinct()
        joined = per_subject.left_join(
            apart_subjects, per_subject.subject_id == apart_subjects.apart_subject
        )
        status = ibis.cases(
            (joined.apart_subject.notnull(), code(Status.MET)),
            (joined.any_q, code(Status.UNKNOWN)),
            else_=code(Status.NOT_MET),
        )
        return joined.select("subject_id", status=status)
