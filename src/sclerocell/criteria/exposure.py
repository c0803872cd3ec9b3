"""Time since the last exposure to a drug (R-I3b: at least 6 months since the end of high-dose IV
cyclophosphamide, when it was given).

Exposure facts: 1 = a course, dated on its end (undated when the end is unknown); 0 = recorded as
never given. Only courses that ended on or before the index date (or undated) are read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from sclerocell.criteria.base import Leaf, Outcome, SqlContext, code
from sclerocell.criteria.result import FactUse, iso
from sclerocell.criteria.select import PersonFacts, Select
from sclerocell.criteria.status import Status
from sclerocell.criteria.text import Text
from sclerocell.criteria.windows import ANY_TIME, Window
from sclerocell.facts import codes


@dataclass(frozen=True, kw_only=True)
class TimeSinceLastExposure(Leaf):
    """Met when the last course of ``code`` ended at least ``months`` before the index date, or
    when the drug was recorded as never given."""

    kind: ClassVar[str] = "time_since_exposure"
    id: str
    text: Text
    code: str
    months: int
    reading: Text | None = None

    @property
    def select(self) -> Select:
        return Select((self.code,), "bool", ANY_TIME, undated=True)

    def cutoff(self, index_date: dt.date) -> dt.date:
        return Window(self.months).bounds(index_date)[0] or index_date

    def evaluate(self, person: PersonFacts, index_date: dt.date) -> Outcome:
        rows = person.select(self.select, index_date)
        cutoff = self.cutoff(index_date)
        label = codes.label(self.code)
        given = [f for f in rows if f.value_num == 1]
        recent = [f for f in given if f.date is not None and f.date > cutoff]
        undated = [f for f in given if f.date is None]
        limit = Text(
            f"fin ≤ {cutoff.isoformat()} ({self.months} mois avant la date index)",
            f"end ≤ {cutoff.isoformat()} ({self.months} months before the index date)",
        )
        if recent:
            last = recent[-1]
            return Outcome(
                Status.NOT_MET,
                Text(
                    f"{label.fr} : dernière cure terminée le {iso(last.date)} ; ",
                    f"{label.en}: last course ended {iso(last.date)}; ",
                )
                + Text("requis : ", "required: ")
                + limit,
                (FactUse("last_course", last),),
            )
        if undated:
            return Outcome(
                Status.UNKNOWN,
                Text(
                    f"{label.fr} : cure de date de fin inconnue",
                    f"{label.en}: course end date unknown",
                ),
                tuple(FactUse("undated_course", f) for f in undated),
                missing=Text(
                    f"la date de fin de la dernière cure de {label.fr}",
                    f"the end date of the last course of {label.en}",
                ),
            )
        if given:
            last = given[-1]
            return Outcome(
                Status.MET,
                Text(
                    f"{label.fr} : dernière cure terminée le {iso(last.date)} ; ",
                    f"{label.en}: last course ended {iso(last.date)}; ",
                )
                + limit,
                (FactUse("last_course", last),),
            )
        if rows:
            return Outcome(
                Status.MET,
                Text(f"{label.fr} : jamais reçu", f"{label.en}: never given"),
                (FactUse("never_given", rows[-1]),),
            )
        return Outcome(
            Status.UNKNOWN,
            Text(f"{label.fr} : antécédent non renseigné", f"{label.en}: history not recorded"),
            missing=Text(
                f"l'historique de {label.fr} (reçu ou non, dates de fin des cures)",
                f"the history of {label.en} (given or not, end dates of the courses)",
            ),
        )

    def compile(self, sql: SqlContext) -> Any:
        import ibis

        rows = sql.rows(self.select)
        given = rows.value_num == 1
        agg = rows.group_by("subject_id").aggregate(
            recent=(given & (rows.date > ibis.literal(self.cutoff(sql.index_date)))).any(),
            undated=(given & rows.date.isnull()).any(),
        )
        status = ibis.cases(
            (agg.recent, code(Status.NOT_MET)),
            (agg.undated, code(Status.UNKNOWN)),
            else_=code(Status.MET),
        )
        return agg.select("subject_id", status=status)
