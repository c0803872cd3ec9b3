"""Combinators: all / any / not / at-least-k, and a reference to a criterion evaluated elsewhere
in the same tree (so that a pairing such as "an involved organ AND its non-SSc causes excluded"
reuses the organ's result instead of copying its subtree)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any, ClassVar

from sclerocell.criteria.base import Criterion, Group
from sclerocell.criteria.result import Result
from sclerocell.criteria.status import Status, all_of, any_of, at_least, negate
from sclerocell.criteria.text import Text

_PLURALS: dict[Status, Text] = {
    Status.MET: Text("remplis", "met"),
    Status.NOT_MET: Text("non remplis", "not met"),
    Status.UNKNOWN: Text("inconnus", "unknown"),
    Status.NOT_ASSESSABLE: Text("à évaluer par une personne", "to be assessed by a person"),
}
_LABELS: dict[Status, Text] = {
    Status.MET: Text("rempli", "met"),
    Status.NOT_MET: Text("non rempli", "not met"),
    Status.UNKNOWN: Text("inconnu", "unknown"),
    Status.NOT_ASSESSABLE: Text("à évaluer par une personne", "to be assessed by a person"),
}


def status_label(status: Status) -> Text:
    return _LABELS[status]


def _tally(children: Sequence[Result]) -> Text:
    parts = []
    for status in (Status.MET, Status.NOT_MET, Status.UNKNOWN, Status.NOT_ASSESSABLE):
        n = sum(c.status is status for c in children)
        if n:
            label = _LABELS[status] if n == 1 else _PLURALS[status]
            parts.append(Text(f"{n} {label.fr}", f"{n} {label.en}"))
    return Text(" · ", " · ").join(parts) if parts else Text("aucun critère", "no criterion")


def _int8(expr: Any) -> Any:
    return expr.cast("int8")


@dataclass(frozen=True, kw_only=True)
class AllOf(Group):
    """Every member must be met (Kleene AND)."""

    kind: ClassVar[str] = "all"
    id: str
    text: Text
    members: tuple[Criterion, ...]

    def children(self) -> tuple[Criterion, ...]:
        return self.members

    def combine(self, statuses: Sequence[Status]) -> Status:
        return all_of(statuses)

    def combine_sql(self, columns: Sequence[Any]) -> Any:
        import ibis

        return columns[0] if len(columns) == 1 else _int8(ibis.least(*columns))

    def summarise(self, children: Sequence[Result]) -> Text:
        return Text("Tous requis : ", "All required: ") + _tally(children)


def _swap(column: Any) -> Any:
    # OR is max over not_met < not_assessable < unknown < met: swap codes 1 and 2 around it.
    return column.substitute({1: 2, 2: 1})


@dataclass(frozen=True, kw_only=True)
class AnyOf(Group):
    """At least one member must be met (Kleene OR)."""

    kind: ClassVar[str] = "any"
    id: str
    text: Text
    members: tuple[Criterion, ...]

    def children(self) -> tuple[Criterion, ...]:
        return self.members

    def combine(self, statuses: Sequence[Status]) -> Status:
        return any_of(statuses)

    def combine_sql(self, columns: Sequence[Any]) -> Any:
        import ibis

        if len(columns) == 1:
            return columns[0]
        return _int8(_swap(ibis.greatest(*[_swap(c) for c in columns])))

    def summarise(self, children: Sequence[Result]) -> Text:
        return Text("Un seul suffit : ", "Any one suffices: ") + _tally(children)


@dataclass(frozen=True, kw_only=True)
class Not(Group):
    """The member must not be met (``unknown`` stays ``unknown``)."""

    kind: ClassVar[str] = "not"
    id: str
    text: Text
    member: Criterion

    def children(self) -> tuple[Criterion, ...]:
        return (self.member,)

    def combine(self, statuses: Sequence[Status]) -> Status:
        return negate(statuses[0])

    def combine_sql(self, columns: Sequence[Any]) -> Any:
        return _int8(columns[0].substitute({0: 3, 3: 0}))

    def summarise(self, children: Sequence[Result]) -> Text:
        label = _LABELS[children[0].status]
        return Text(
            f"Contraire de {children[0].id} ({label.fr})",
            f"Negation of {children[0].id} ({label.en})",
        )


@dataclass(frozen=True, kw_only=True)
class AtLeast(Group):
    """At least ``k`` members must be met."""

    kind: ClassVar[str] = "at_least"
    id: str
    text: Text
    k: int
    members: tuple[Criterion, ...]

    def children(self) -> tuple[Criterion, ...]:
        return self.members

    def combine(self, statuses: Sequence[Status]) -> Status:
        return at_least(self.k, statuses)

    def combine_sql(self, columns: Sequence[Any]) -> Any:
        import ibis

        def count(test: Any) -> Any:
            return reduce(lambda a, b: a + b, [ibis.ifelse(test(c), 1, 0) for c in columns])

        met = count(lambda c: c == Status.MET.code)
        possible = count(lambda c: c != Status.NOT_MET.code)
        unknown = count(lambda c: c == Status.UNKNOWN.code)
        return _int8(
            ibis.cases(
                (met >= self.k, Status.MET.code),
                (possible < self.k, Status.NOT_MET.code),
                (unknown > 0, Status.UNKNOWN.code),
                else_=Status.NOT_ASSESSABLE.code,
            )
        )

    def summarise(self, children: Sequence[Result]) -> Text:
        return Text(f"Au moins {self.k} requis : ", f"At least {self.k} required: ") + _tally(
            children
        )


@dataclass(frozen=True, kw_only=True)
class Ref(Criterion):
    """The result of criterion ``target``, evaluated earlier in the same tree."""

    kind: ClassVar[str] = "ref"
    id: str
    text: Text
    target: str


@dataclass(frozen=True, kw_only=True)
class Verdict(Group):
    """Eligible when the inclusion group is met and the non-inclusion group is not met."""

    kind: ClassVar[str] = "verdict"
    id: str
    text: Text
    inclusion: Criterion
    non_inclusion: Criterion

    def children(self) -> tuple[Criterion, ...]:
        return (self.inclusion, self.non_inclusion)

    def combine(self, statuses: Sequence[Status]) -> Status:
        return all_of([statuses[0], negate(statuses[1])])

    def combine_sql(self, columns: Sequence[Any]) -> Any:
        import ibis

        return _int8(ibis.least(columns[0], columns[1].substitute({0: 3, 3: 0})))

    def summarise(self, children: Sequence[Result]) -> Text:
        status = self.combine([c.status for c in children])
        return _VERDICTS[status]


_VERDICTS: dict[Status, Text] = {
    Status.MET: Text("Éligible", "Eligible"),
    Status.NOT_MET: Text("Non éligible", "Not eligible"),
    Status.UNKNOWN: Text("Indéterminé : des données manquent", "Undetermined: data are missing"),
    Status.NOT_ASSESSABLE: Text(
        "Indéterminé : des réponses de l'investigateur manquent",
        "Undetermined: investigator answers are missing",
    ),
}
