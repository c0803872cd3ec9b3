"""Presence of a finding (condition, history item, qualitative test), an investigator's statement,
and a recorded text attribute among allowed values.

Findings distinguish "recorded absent" (a 0 fact: the form was answered "no") from "not
recorded" (no fact). Not recorded is `unknown` by default; a criterion may instead read it as
absent (``missing="absent"``) and says so in its evidence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from sclerocell.criteria.base import Leaf, Outcome, SqlContext, code
from sclerocell.criteria.result import FactUse, iso
from sclerocell.criteria.select import PersonFacts, Select
from sclerocell.criteria.status import Status
from sclerocell.criteria.text import Text
from sclerocell.criteria.windows import ANY_TIME, Window
from sclerocell.facts import codes
from sclerocell.facts.schema import Fact

Mode = Literal["ever", "latest"]
MissingPolicy = Literal["unknown", "absent"]


def _who(f: Fact) -> str:
    return f" — {f.source}" if f.source else ""


def _labels(code_list: tuple[str, ...]) -> Text:
    return Text(" / ", " / ").join([codes.label(c) for c in code_list])


@dataclass(frozen=True, kw_only=True)
class Finding(Leaf):
    """A finding is present.

    ``mode="ever"``: met if any record (in ``window``; undated history counts when there is no
    window) says present; not_met if records exist and all say absent. ``mode="latest"``: the
    latest record decides (a later "absent" supersedes an earlier "present").
    """

    kind: ClassVar[str] = "finding"
    id: str
    text: Text
    codes: tuple[str, ...]
    mode: Mode = "ever"
    window: Window = ANY_TIME
    missing: MissingPolicy = "unknown"
    reading: Text | None = None

    @property
    def select(self) -> Select:
        return Select(self.codes, "bool", self.window, undated=self.window.start_months is None)

    def _present(self, f: Fact) -> Text:
        label = codes.label(f.code)
        when = Text(f" (le {iso(f.date)})", f" (on {iso(f.date)})") if f.date else Text("", "")
        note = f" : {f.value_text}" if f.value_text else ""
        return Text(f"{label.fr} : présent", f"{label.en}: present") + when + Text(note, note)

    def _absent(self, f: Fact) -> Text:
        label = codes.label(f.code)
        when = Text(f" (le {iso(f.date)})", f" (on {iso(f.date)})") if f.date else Text("", "")
        return Text(f"{label.fr} : absent", f"{label.en}: absent") + when

    def _not_recorded(self) -> Outcome:
        labels = _labels(self.codes)
        where = self.window.describe()
        if self.missing == "absent":
            return Outcome(
                Status.NOT_MET,
                Text(
                    f"{labels.fr} : non renseigné, compté comme absent",
                    f"{labels.en}: not recorded, counted as absent",
                ),
            )
        return Outcome(
            Status.UNKNOWN,
            Text(f"{labels.fr} : non renseigné", f"{labels.en}: not recorded"),
            missing=Text(
                f"{labels.fr} renseigné (présent ou absent) {where.fr}",
                f"{labels.en} recorded as present or absent {where.en}",
            ),
        )

    def evaluate(self, person: PersonFacts, index_date: dt.date) -> Outcome:
        rows = person.select(self.select, index_date)
        if not rows:
            return self._not_recorded()
        if self.mode == "latest":
            last = rows[-1]
            if last.value_num == 1:
                return Outcome(Status.MET, self._present(last), (FactUse("latest", last),))
            return Outcome(Status.NOT_MET, self._absent(last), (FactUse("latest", last),))
        present = [f for f in rows if f.value_num == 1]
        if present:
            return Outcome(
                Status.MET, self._present(present[-1]), (FactUse("present", present[-1]),)
            )
        return Outcome(Status.NOT_MET, self._absent(rows[-1]), (FactUse("absent", rows[-1]),))

    def compile(self, sql: SqlContext) -> Any:
        import ibis

        met, not_met = code(Status.MET), code(Status.NOT_MET)
        if self.mode == "latest":
            last = sql.latest(self.select)
            return last.select("subject_id", status=ibis.ifelse(last.value_num == 1, met, not_met))
        rows = sql.rows(self.select)
        agg = rows.group_by("subject_id").aggregate(present=(rows.value_num == 1).any())
        return agg.select("subject_id", status=ibis.ifelse(agg.present, met, not_met))


@dataclass(frozen=True, kw_only=True)
class Statement(Leaf):
    """An investigator's (or the consent record's) answer; `not_assessable` until recorded.

    Statements are read whatever their date: they answer this screening, and are often recorded
    after the screening date that serves as index date.
    """

    kind: ClassVar[str] = "statement"
    id: str
    text: Text
    code: str
    reading: Text | None = None

    @property
    def select(self) -> Select:
        return Select((self.code,), "bool")

    def evaluate(self, person: PersonFacts, index_date: dt.date) -> Outcome:
        last = person.latest(self.select, index_date)
        label = codes.label(self.code)
        if last is None:
            return Outcome(
                Status.NOT_ASSESSABLE,
                Text(f"{label.fr} : non encore renseigné", f"{label.en}: not yet recorded"),
                missing=Text(
                    f"la réponse de l'investigateur : {label.fr}",
                    f"the investigator's answer: {label.en}",
                ),
            )
        yes = last.value_num == 1
        answer = Text("oui", "yes") if yes else Text("non", "no")
        when = Text(f" le {iso(last.date)}", f" on {iso(last.date)}") if last.date else Text("", "")
        note = f" ({last.value_text})" if last.value_text else ""
        return Outcome(
            Status.MET if yes else Status.NOT_MET,
            Text(f"{label.fr} : ", f"{label.en}: ")
            + answer
            + when
            + Text(_who(last) + note, _who(last) + note),
            (FactUse("statement", last),),
        )

    def compile(self, sql: SqlContext) -> Any:
        import ibis

        last = sql.latest(self.select)
        return last.select(
            "subject_id",
            status=ibis.ifelse(last.value_num == 1, code(Status.MET), code(Status.NOT_MET)),
        )


@dataclass(frozen=True, kw_only=True)
class TextIn(Leaf):
    """The latest recorded text of ``code`` is one of ``allowed``."""

    kind: ClassVar[str] = "text_in"
    id: str
    text: Text
    code: str
    allowed: tuple[str, ...]
    reading: Text | None = None

    @property
    def select(self) -> Select:
        return Select((self.code,), "text")

    def evaluate(self, person: PersonFacts, index_date: dt.date) -> Outcome:
        last = person.latest(self.select, index_date)
        label = codes.label(self.code)
        if last is None or last.value_text is None:
            return Outcome(
                Status.UNKNOWN,
                Text(f"{label.fr} : non renseigné", f"{label.en}: not recorded"),
                missing=Text(f"{label.fr}", f"{label.en}"),
            )
        ok = last.value_text in self.allowed
        allowed = ", ".join(self.allowed)
        sign = "∈" if ok else "∉"
        return Outcome(
            Status.MET if ok else Status.NOT_MET,
            Text(
                f"{label.fr} : {last.value_text} {sign} {{{allowed}}}",
                f"{label.en}: {last.value_text} {sign} {{{allowed}}}",
            ),
            (FactUse("latest", last),),
        )

    def compile(self, sql: SqlContext) -> Any:
        import ibis

        last = sql.latest(self.select)
        return last.select(
            "subject_id",
            status=ibis.ifelse(
                last.value_text.isin(list(self.allowed)), code(Status.MET), code(Status.NOT_MET)
            ),
        )
