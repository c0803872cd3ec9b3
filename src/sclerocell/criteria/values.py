"""Numeric criteria: the latest value in a window against a threshold, the change from a baseline
window, and a ratio to the upper limit of normal that must persist."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from sclerocell.criteria.base import Leaf, Outcome, SqlContext, code
from sclerocell.criteria.result import FactUse, iso
from sclerocell.criteria.select import PersonFacts, Select
from sclerocell.criteria.status import Status
from sclerocell.criteria.text import NEGATED, OPERATORS, Text, num
from sclerocell.criteria.windows import Window
from sclerocell.facts import codes
from sclerocell.facts.schema import Fact, latest_key

Op = Literal["lt", "le", "gt", "ge"]
OPS: dict[str, Callable[[Any, Any], Any]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def unit_suffix(code_: str) -> str:
    """The canonical unit as written after a number: '%' glued, 'mmHg' spaced, points omitted."""
    unit = codes.get(code_).unit
    return "" if unit in (None, "points") else ("" if unit == "%" else " ") + str(unit)


def describe_value(fact: Fact) -> Text:
    """'DLCO (% predicted) 48 % on 2024-05-02 (source pft-1)'."""
    assert fact.value_num is not None  # noqa: S101 - callers select numeric facts
    label = codes.label(fact.code)
    unit = unit_suffix(fact.code)
    measured = f" [{fact.value_text}]" if fact.value_text else ""
    when = iso(fact.date) + (f" {fact.time.strftime('%H:%M')}" if fact.time else "")
    return Text(
        f"{label.fr} {num(fact.value_num, 'fr')}{unit}{measured} le {when}",
        f"{label.en} {num(fact.value_num, 'en')}{unit}{measured} on {when}",
    )


def _threshold(code_: str, op: str, threshold: float, holds: bool) -> Text:
    sign = OPERATORS[op] if holds else NEGATED[op]
    unit = unit_suffix(code_)
    return Text(f" {sign} {num(threshold, 'fr')}{unit}", f" {sign} {num(threshold, 'en')}{unit}")


def missing_value(code_: str, window: Window) -> Text:
    label = codes.label(code_)
    where = window.describe()
    return Text(f"une mesure ({label.fr}) {where.fr}", f"a measurement of {label.en} {where.en}")


@dataclass(frozen=True, kw_only=True)
class LatestValue(Leaf):
    """The latest value of ``code`` in ``window`` compared with ``threshold`` (canonical unit).

    No value is `unknown`, or `not_met` with ``missing="not_met"`` (a test done only when another
    suggests it, e.g. right heart catheterisation).
    """

    kind: ClassVar[str] = "latest_value"
    id: str
    text: Text
    code: str
    window: Window
    op: Op
    threshold: float
    missing: Literal["unknown", "not_met"] = "unknown"
    reading: Text | None = None

    @property
    def select(self) -> Select:
        return Select((self.code,), "num", self.window)

    def evaluate(self, person: PersonFacts, index_date: dt.date) -> Outcome:
        fact = person.latest(self.select, index_date)
        if fact is None or fact.value_num is None:
            if self.missing == "not_met":
                return Outcome(
                    Status.NOT_MET,
                    Text("Aucune mesure ", "No value ")
                    + self.window.describe()
                    + Text(" : lu comme non rempli", ": read as not met"),
                )
            return Outcome(
                Status.UNKNOWN,
                Text("Aucune mesure ", "No value ") + self.window.describe(),
                missing=missing_value(self.code, self.window),
            )
        holds = bool(OPS[self.op](fact.value_num, self.threshold))
        return Outcome(
            Status.MET if holds else Status.NOT_MET,
            describe_value(fact) + _threshold(self.code, self.op, self.threshold, holds),
            (FactUse("latest", fact),),
            (("value", fact.value_num), ("threshold", self.threshold)),
        )

    def compile(self, sql: SqlContext) -> Any:
        import ibis

        latest = sql.latest(self.select)
        holds = OPS[self.op](latest.value_num, self.threshold)
        return latest.select(
            "subject_id", status=ibis.ifelse(holds, code(Status.MET), code(Status.NOT_MET))
        )


ChangeMode = Literal["relative", "absolute"]


@dataclass(frozen=True, kw_only=True)
class ChangeFromBaseline(Leaf):
    """A fall from a baseline to the current value of at least ``threshold``.

    Current: the latest value in ``current_window``. Baseline: the value in ``baseline_window``
    closest to ``target_months`` before the index date (ties: the later one, by the "latest"
    order). Relative fall = (baseline − current) / baseline (a fraction); absolute fall =
    baseline − current (points). Either value missing, or a relative fall from a baseline ≤ 0,
    is `unknown`.
    """

    kind: ClassVar[str] = "change"
    id: str
    text: Text
    code: str
    current_window: Window
    baseline_window: Window
    target_months: int
    mode: ChangeMode
    threshold: float
    reading: Text | None = None

    def _target(self, index_date: dt.date) -> dt.date:
        return Window(self.target_months).bounds(index_date)[0] or index_date

    def _baseline(self, person: PersonFacts, index_date: dt.date) -> Fact | None:
        rows = person.select(Select((self.code,), "num", self.baseline_window), index_date)
        target = self._target(index_date)

        def key(f: Fact) -> tuple[int, tuple[bool, dt.date, bool, dt.time, str]]:
            assert f.date is not None  # noqa: S101 - a window admits dated facts only
            return (-abs((f.date - target).days), latest_key(f))

        return max(rows, key=key, default=None)

    def fall(self, baseline: float, current: float) -> float | None:
        if self.mode == "absolute":
            return baseline - current
        return None if baseline <= 0 else (baseline - current) / baseline

    def evaluate(self, person: PersonFacts, index_date: dt.date) -> Outcome:
        current = person.latest(Select((self.code,), "num", self.current_window), index_date)
        baseline = self._baseline(person, index_date)
        uses = tuple(
            FactUse(role, f) for role, f in (("baseline", baseline), ("current", current)) if f
        )
        label = codes.label(self.code)
        if current is None or baseline is None:
            missing = []
            if baseline is None:
                missing.append(missing_value(self.code, self.baseline_window))
            if current is None:
                missing.append(missing_value(self.code, self.current_window))
            return Outcome(
                Status.UNKNOWN,
                Text(f"{label.fr} : ", f"{label.en}: ")
                + Text(
                    "valeur de référence ou valeur actuelle manquante",
                    "baseline or current value missing",
                ),
                uses,
                missing=Text(" ; ", "; ").join(missing),
            )
        assert baseline.value_num is not None and current.value_num is not None  # noqa: S101
        fall = self.fall(baseline.value_num, current.value_num)
        pair = Text(
            f"{label.fr} {num(baseline.value_num, 'fr')} ({iso(baseline.date)}) → "
            f"{num(current.value_num, 'fr')} ({iso(current.date)})",
            f"{label.en} {num(baseline.value_num, 'en')} ({iso(baseline.date)}) → "
            f"{num(current.value_num, 'en')} ({iso(current.date)})",
        )
        if fall is None:
            return Outcome(
                Status.UNKNOWN,
                pair + Text(" : référence nulle", ": baseline is zero"),
                uses,
                missing=Text("une valeur de référence positive", "a positive baseline value"),
            )
        holds = fall >= self.threshold
        if self.mode == "relative":
            shown = Text(
                f" : baisse relative {num(100 * fall, 'fr')} %",
                f": relative fall {num(100 * fall, 'en')} %",
            )
            limit = f"{num(100 * self.threshold, 'en')} %"
            limit_fr = f"{num(100 * self.threshold, 'fr')} %"
        else:
            shown = Text(f" : baisse {num(fall, 'fr')} points", f": fall {num(fall, 'en')} points")
            limit = f"{num(self.threshold, 'en')} points"
            limit_fr = f"{num(self.threshold, 'fr')} points"
        sign = "≥" if holds else "<"
        return Outcome(
            Status.MET if holds else Status.NOT_MET,
            pair + shown + Text(f" {sign} {limit_fr}", f" {sign} {limit}"),
            uses,
            (("baseline", baseline.value_num), ("current", current.value_num), ("fall", fall)),
        )

    def compile(self, sql: SqlContext) -> Any:
        import ibis

        current = sql.latest(Select((self.code,), "num", self.current_window))
        current = current.select("subject_id", current_value=current.value_num)
        rows = sql.rows(Select((self.code,), "num", self.baseline_window))
        target = ibis.literal(self._target(sql.index_date))
        rows = rows.mutate(distance=rows.date.delta(target, unit="day").abs())
        ranked = sql.rank(rows, order=[rows.distance.asc(), *sql.latest_order(rows)])
        baseline = ranked.filter(ranked.rn == 0)
        baseline = baseline.select(baseline_subject="subject_id", baseline_value=baseline.value_num)
        both = current.outer_join(baseline, current.subject_id == baseline.baseline_subject)
        b, c = both.baseline_value, both.current_value
        fall = b - c if self.mode == "absolute" else (b - c) / b
        decidable = b.notnull() & c.notnull()
        if self.mode == "relative":
            decidable &= b > 0
        status = ibis.cases(
            (~decidable, code(Status.UNKNOWN)),
            (fall >= self.threshold, code(Status.MET)),
            else_=code(Status.NOT_MET),
        )
        return both.select(
            subject_id=ibis.coalesce(both.subject_id, both.baseline_subject), status=status
        )


@dataclass(frozen=True, kw_only=True)
class UlnRatio(Leaf):
    """Values of ``code`` at ≥ (or >) ``factor`` × the upper limit of normal (the fact's
    ``ref_high``) on at least ``min_count`` measurements in ``window``.

    With ``latest_must_qualify``, the latest measurement must be one of them: a latest value with
    no ULN is `unknown`, a latest value under the limit is `not_met`, and a qualifying latest value
    without enough others is `unknown` (a repeat measurement decides). A value with no ULN can
    never count; when it could tip the answer, the answer is `unknown`.
    """

    kind: ClassVar[str] = "uln_ratio"
    id: str
    text: Text
    code: str
    window: Window
    factor: float
    op: Literal["ge", "gt"]
    min_count: int
    latest_must_qualify: bool
    reading: Text | None = None

    @property
    def select(self) -> Select:
        return Select((self.code,), "num", self.window)

    @staticmethod
    def _uln_known(f: Fact) -> bool:
        return f.ref_high is not None and f.ref_high > 0

    def _qualifies(self, f: Fact) -> bool:
        if not self._uln_known(f):
            return False
        assert f.value_num is not None and f.ref_high is not None  # noqa: S101
        return bool(OPS[self.op](f.value_num, self.factor * f.ref_high))

    def _decide(
        self,
        any_rows: bool,
        n_qualifying: int,
        any_uln_missing: bool,
        latest_q: bool,
        latest_uln: bool,
    ) -> Status:
        if not any_rows:
            return Status.UNKNOWN
        if self.latest_must_qualify:
            if not latest_uln:
                return Status.UNKNOWN
            if not latest_q:
                return Status.NOT_MET
        if n_qualifying >= self.min_count:
            return Status.MET
        if any_uln_missing or self.latest_must_qualify:
            return Status.UNKNOWN
        return Status.NOT_MET

    def evaluate(self, person: PersonFacts, index_date: dt.date) -> Outcome:
        rows = person.select(self.select, index_date)
        qualifying = [f for f in rows if self._qualifies(f)]
        no_uln = [f for f in rows if not self._uln_known(f)]
        latest = rows[-1] if rows else None
        status = self._decide(
            bool(rows),
            len(qualifying),
            bool(no_uln),
            latest is not None and self._qualifies(latest),
            latest is not None and self._uln_known(latest),
        )
        label = codes.label(self.code)
        sign = OPERATORS[self.op]
        limit = Text(
            f"{sign} {num(self.factor, 'fr')} × LSN", f"{sign} {num(self.factor, 'en')} × ULN"
        )
        uses = tuple(
            FactUse("latest" if f is latest else ("qualifying" if f in qualifying else "other"), f)
            for f in reversed(rows)
        )
        values = (("qualifying_count", len(qualifying)), ("measurement_count", len(rows)))
        summary = (
            Text(
                f"{label.fr} : {len(qualifying)} mesure(s) sur {len(rows)} ",
                f"{label.en}: {len(qualifying)} of {len(rows)} measurement(s) ",
            )
            + limit
            + Text(" ", " ")
            + self.window.describe()
        )
        missing: Text | None = None
        if status is Status.UNKNOWN:
            if not rows:
                missing = missing_value(self.code, self.window)
            elif latest is not None and not self._uln_known(latest) and self.latest_must_qualify:
                missing = Text(
                    f"la limite supérieure de la normale de la dernière mesure de {label.fr}",
                    f"the upper limit of normal of the latest {label.en}",
                )
            elif no_uln:
                missing = Text(
                    f"la limite supérieure de la normale des mesures de {label.fr}",
                    f"the upper limit of normal of the {label.en} measurements",
                )
            else:
                missing = Text(
                    f"une mesure de contrôle de {label.fr} (une seule valeur élevée)",
                    f"a repeat {label.en} measurement (a single high value)",
                )
        return Outcome(status, summary, uses, values, missing)

    def compile(self, sql: SqlContext) -> Any:
        import ibis

        rows = sql.rank(sql.rows(self.select))
        uln_known = rows.ref_high.notnull() & (rows.ref_high > 0)
        qualifies = uln_known & OPS[self.op](rows.value_num, self.factor * rows.ref_high)
        rows = rows.mutate(q=ibis.ifelse(qualifies, 1, 0), u=ibis.ifelse(uln_known, 1, 0))
        is_latest = rows.rn == 0
        agg = rows.group_by("subject_id").aggregate(
            n_q=rows.q.sum(),
            n_no_uln=(1 - rows.u).sum(),
            latest_q=rows.q.max(where=is_latest),
            latest_u=rows.u.max(where=is_latest),
        )
        met, unknown, not_met = code(Status.MET), code(Status.UNKNOWN), code(Status.NOT_MET)
        branches = []
        if self.latest_must_qualify:
            branches += [(agg.latest_u == 0, unknown), (agg.latest_q == 0, not_met)]
        branches.append((agg.n_q >= self.min_count, met))
        if self.latest_must_qualify:
            branches.append((ibis.literal(True), unknown))
        else:
            branches.append((agg.n_no_uln > 0, unknown))
        return agg.select("subject_id", status=ibis.cases(*branches, else_=not_met))
