"""Scores: a weighted sum of item findings by domain (ACR/EULAR 2013, ARA 1980) and a total that is
either recorded or summed from its items (mRSS: a total fact or its 17 sites).

Unknown items give a score range (items absent … items present); the criterion is `unknown` only
when the threshold falls inside that range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any, ClassVar, Literal

from sclerocell.criteria.base import Leaf, Outcome, SqlContext, code
from sclerocell.criteria.result import FactUse, iso
from sclerocell.criteria.select import PersonFacts, Select
from sclerocell.criteria.status import Status
from sclerocell.criteria.text import Text, num
from sclerocell.criteria.windows import ANY_TIME, Window
from sclerocell.facts import codes
from sclerocell.facts.schema import Fact

ItemState = Literal["present", "absent", "unknown"]


@dataclass(frozen=True, slots=True)
class ScoreItem:
    code: str
    weight: int


@dataclass(frozen=True, slots=True)
class Domain:
    """Only the highest weight among the domain's present items counts."""

    id: str
    label: Text
    items: tuple[ScoreItem, ...]


@dataclass(frozen=True, slots=True)
class Applicability:
    """The score does not apply when ``code`` is present; ``code`` is taken as absent when any of
    ``absent_if_present`` is present (e.g. finger sparing cannot hold with sclerodactyly)."""

    code: str
    absent_if_present: tuple[str, ...] = ()


def _sum(values: Sequence[Any]) -> Any:
    return reduce(lambda a, b: a + b, values)


def _max(values: Sequence[Any]) -> Any:
    import ibis

    return values[0] if len(values) == 1 else ibis.greatest(*values)


@dataclass(frozen=True, kw_only=True)
class WeightedScore(Leaf):
    """Σ over domains of the highest present item weight ≥ ``threshold``, the score applying."""

    kind: ClassVar[str] = "weighted_score"
    id: str
    text: Text
    domains: tuple[Domain, ...]
    threshold: int
    applicability: tuple[Applicability, ...] = ()
    reading: Text | None = None

    @property
    def all_codes(self) -> tuple[str, ...]:
        found: list[str] = []
        for c in [i.code for d in self.domains for i in d.items] + [
            a.code for a in self.applicability
        ]:
            if c not in found:
                found.append(c)
        return tuple(found)

    def _states(
        self, person: PersonFacts, index_date: dt.date
    ) -> tuple[dict[str, ItemState], list[Fact]]:
        states: dict[str, ItemState] = {}
        used: list[Fact] = []
        for c in self.all_codes:
            rows = person.select(Select((c,), "bool", ANY_TIME, undated=True), index_date)
            present = [f for f in rows if f.value_num == 1]
            if present:
                states[c] = "present"
                used.append(present[-1])
            elif rows:
                states[c] = "absent"
                used.append(rows[-1])
            else:
                states[c] = "unknown"
        return states, used

    def evaluate(self, person: PersonFacts, index_date: dt.date) -> Outcome:
        states, used = self._states(person, index_date)
        low = high = 0
        parts: list[Text] = []
        for domain in self.domains:
            d_low = max((i.weight for i in domain.items if states[i.code] == "present"), default=0)
            d_high = max((i.weight for i in domain.items if states[i.code] != "absent"), default=0)
            low, high = low + d_low, high + d_high
            if d_low or d_high:
                shown = str(d_low) if d_low == d_high else f"{d_low}–{d_high}"
                parts.append(Text(f"{domain.label.fr} {shown}", f"{domain.label.en} {shown}"))
        na_states = [
            "absent" if any(states[c] == "present" for c in a.absent_if_present) else states[a.code]
            for a in self.applicability
        ]
        not_applicable = (
            Status.MET
            if "present" in na_states
            else (Status.NOT_MET if all(s == "absent" for s in na_states) else Status.UNKNOWN)
        )
        reaches = (
            Status.MET
            if low >= self.threshold
            else (Status.NOT_MET if high < self.threshold else Status.UNKNOWN)
        )
        if not_applicable is Status.MET or reaches is Status.NOT_MET:
            status = Status.NOT_MET
        elif not_applicable is Status.NOT_MET and reaches is Status.MET:
            status = Status.MET
        else:
            status = Status.UNKNOWN
        score = str(low) if low == high else f"{low}–{high}"
        summary = Text(
            f"Score {score} (seuil ≥ {self.threshold})",
            f"Score {score} (threshold ≥ {self.threshold})",
        )
        if parts:
            summary += Text(" : ", ": ") + Text(", ", ", ").join(parts)
        if not_applicable is Status.MET:
            summary += Text(" ; critères non applicables", "; criteria not applicable")
        missing: Text | None = None
        if status is Status.UNKNOWN:
            wanted = [
                codes.label(i.code)
                for d in self.domains
                for i in d.items
                if reaches is Status.UNKNOWN
                and states[i.code] == "unknown"
                and i.weight
                > max((j.weight for j in d.items if states[j.code] == "present"), default=0)
            ]
            wanted += [
                codes.label(a.code)
                for a, s in zip(self.applicability, na_states, strict=True)
                if s == "unknown"
            ]
            missing = Text("renseigner : ", "record: ") + Text(", ", ", ").join(wanted)
        return Outcome(
            status,
            summary,
            tuple(FactUse(states[f.code], f) for f in used),
            (("score_min", low), ("score_max", high), ("threshold", self.threshold)),
            missing,
        )

    def compile(self, sql: SqlContext) -> Any:
        import ibis

        all_codes = self.all_codes
        rows = sql.rows(Select(all_codes, "bool", ANY_TIME, undated=True))
        flags: dict[str, Any] = {}
        for n, c in enumerate(all_codes):
            flags[f"p{n}"] = ((rows.code == c) & (rows.value_num == 1)).any()
            flags[f"a{n}"] = ((rows.code == c) & (rows.value_num == 0)).any()
        agg = rows.group_by("subject_id").aggregate(**flags)
        index = {c: n for n, c in enumerate(all_codes)}

        def present(c: str) -> Any:
            return agg[f"p{index[c]}"]

        def absent(c: str) -> Any:
            return agg[f"a{index[c]}"] & ~present(c)

        low = _sum(
            [
                _max([ibis.ifelse(present(i.code), i.weight, 0) for i in d.items])
                for d in self.domains
            ]
        )
        high = _sum(
            [
                _max([ibis.ifelse(absent(i.code), 0, i.weight) for i in d.items])
                for d in self.domains
            ]
        )
        reaches_met = low >= self.threshold
        reaches_not = high < self.threshold
        if self.applicability:
            states = []
            for a in self.applicability:
                voided = (
                    ibis.or_(*[present(c) for c in a.absent_if_present])
                    if a.absent_if_present
                    else ibis.literal(False)
                )
                states.append((~voided & present(a.code), voided | absent(a.code)))
            na_met = ibis.or_(*[p for p, _ in states])
            na_not = ibis.and_(*[ab for _, ab in states])
        else:
            na_met, na_not = ibis.literal(False), ibis.literal(True)
        status = ibis.cases(
            (na_met | reaches_not, code(Status.NOT_MET)),
            (na_not & reaches_met, code(Status.MET)),
            else_=code(Status.UNKNOWN),
        )
        return agg.select("subject_id", status=status)


@dataclass(frozen=True, kw_only=True)
class TotalOrItems(Leaf):
    """A total ≥ ``threshold``, from the latest recorded total or the latest examination's items.

    The examination of the items is the latest date in ``window`` with any item; each item takes
    its latest value that day; items missing that day may be anything from 0 to ``item_max``.
    The more recent of the total and that examination is used (the total on the same day).
    """

    kind: ClassVar[str] = "total_or_items"
    id: str
    text: Text
    total_code: str
    item_codes: tuple[str, ...]
    item_max: int
    threshold: float
    window: Window
    reading: Text | None = None

    def evaluate(self, person: PersonFacts, index_date: dt.date) -> Outcome:
        total = person.latest(Select((self.total_code,), "num", self.window), index_date)
        items = person.select(Select(self.item_codes, "num", self.window), index_date)
        exam = items[-1].date if items else None
        label = codes.label(self.total_code)
        if total is not None and (exam is None or (total.date is not None and total.date >= exam)):
            assert total.value_num is not None  # noqa: S101
            holds = total.value_num >= self.threshold
            sign = "≥" if holds else "<"
            return Outcome(
                Status.MET if holds else Status.NOT_MET,
                Text(
                    f"{label.fr} {num(total.value_num, 'fr')} le {iso(total.date)} {sign} "
                    f"{num(self.threshold, 'fr')}",
                    f"{label.en} {num(total.value_num, 'en')} on {iso(total.date)} {sign} "
                    f"{num(self.threshold, 'en')}",
                ),
                (FactUse("total", total),),
                (("total", total.value_num), ("threshold", self.threshold)),
            )
        if exam is None:
            return Outcome(
                Status.UNKNOWN,
                Text(f"{label.fr} : aucun examen ", f"{label.en}: no examination ")
                + self.window.describe(),
                missing=Text(
                    f"un {label.fr} (total ou {len(self.item_codes)} sites) "
                    f"{self.window.describe().fr}",
                    f"a {label.en} (total or {len(self.item_codes)} sites) "
                    f"{self.window.describe().en}",
                ),
            )
        by_code: dict[str, Fact] = {}
        for f in items:
            if f.date == exam:
                by_code[f.code] = f  # oldest → latest: the latest of the day wins
        low = sum(f.value_num or 0.0 for f in by_code.values())
        absent = [c for c in self.item_codes if c not in by_code]
        high = low + self.item_max * len(absent)
        if low >= self.threshold:
            status = Status.MET
        elif high < self.threshold:
            status = Status.NOT_MET
        else:
            status = Status.UNKNOWN
        shown = num(low, "en") if not absent else f"{num(low, 'en')}–{num(high, 'en')}"
        shown_fr = num(low, "fr") if not absent else f"{num(low, 'fr')}–{num(high, 'fr')}"
        summary = Text(
            f"{label.fr} {shown_fr} le {iso(exam)} ({len(by_code)}/{len(self.item_codes)} sites), "
            f"seuil ≥ {num(self.threshold, 'fr')}",
            f"{label.en} {shown} on {iso(exam)} ({len(by_code)}/{len(self.item_codes)} sites), "
            f"threshold ≥ {num(self.threshold, 'en')}",
        )
        missing = None
        if status is Status.UNKNOWN:
            missing = Text("les sites manquants : ", "the missing sites: ") + Text(", ", ", ").join(
                [codes.label(c) for c in absent]
            )
        return Outcome(
            status,
            summary,
            tuple(FactUse("item", f) for f in by_code.values()),
            (("total_min", low), ("total_max", high), ("threshold", self.threshold)),
            missing,
        )

    def compile(self, sql: SqlContext) -> Any:
        import ibis

        total = sql.latest(Select((self.total_code,), "num", self.window))
        total = total.select(t_subject="subject_id", t_date="date", t_value="value_num")
        items = sql.rows(Select(self.item_codes, "num", self.window))
        items = items.mutate(exam=items.date.max().over(ibis.window(group_by=[items.subject_id])))
        items = items.filter(items.date == items.exam)
        items = sql.rank(items, by=("subject_id", "code"))
        items = items.filter(items.rn == 0)
        exams = items.group_by("subject_id").aggregate(
            exam=items.exam.max(), low=items.value_num.sum(), n=items.code.count()
        )
        both = total.outer_join(exams, total.t_subject == exams.subject_id)
        use_total = both.t_date.notnull() & (both.exam.isnull() | (both.t_date >= both.exam))
        high = both.low + (len(self.item_codes) - both.n) * self.item_max
        status = ibis.cases(
            (use_total & (both.t_value >= self.threshold), code(Status.MET)),
            (use_total, code(Status.NOT_MET)),
            (both.low >= self.threshold, code(Status.MET)),
            (high < self.threshold, code(Status.NOT_MET)),
            else_=code(Status.UNKNOWN),
        )
        return both.select(subject_id=ibis.coalesce(both.t_subject, both.subject_id), status=status)
