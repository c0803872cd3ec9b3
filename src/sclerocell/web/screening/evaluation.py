"""The live verdict of one participant, and what the pages show of it.

Evaluated on every page load from the current facts: the core takes about 2 ms for a recipient
(measured: ``bench``-style loop over ``examples/recipient.json``), far below the page's queries,
so nothing is cached — a cache would be one more thing that could disagree with the data.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from sclerocell.criteria.logic import status_label
from sclerocell.criteria.result import Evidence, FactUse, Result
from sclerocell.criteria.status import Status
from sclerocell.criteria.text import Text
from sclerocell.facts import codes
from sclerocell.facts.schema import Fact
from sclerocell.facts.screening_input import InputError
from sclerocell.protocol.screen import Screening, screen_input
from sclerocell.web.trial.models import Participant

from . import catalogue
from .catalogue import lang, render
from .inputs import index_date_of, parsed_input

# Criteria with a protocol identifier (R-I3c, R-V1, D-E2…), as opposed to their inner parts.
NAMED = re.compile(r"^[RD]-[A-Z]+\d+[a-z]?$")

SYMBOLS = {
    Status.MET: "✔",
    Status.NOT_MET: "✘",
    Status.UNKNOWN: "?",
    Status.NOT_ASSESSABLE: "…",
}


@dataclass
class Evaluation:
    participant: Participant
    index_date: datetime.date
    screening: Screening | None
    errors: list[tuple[str, str]] = field(default_factory=list)
    facts: tuple[Fact, ...] = ()

    @property
    def verdict(self) -> Status | None:
        return None if self.screening is None else self.screening.verdict


def evaluate(participant: Participant, index_date: datetime.date | None = None) -> Evaluation:
    """The participant's screening as of ``index_date`` (default: the stored index date)."""
    day = index_date or index_date_of(participant)
    try:
        data = parsed_input(participant, day)
    except InputError as error:
        return Evaluation(
            participant, day, None, [(e.path, e.message.render(lang())) for e in error.errors]
        )
    return Evaluation(participant, day, screen_input(data, day), facts=data.facts)


def named(criterion_id: str) -> bool:
    return bool(NAMED.match(criterion_id))


def _named_children(node: Result, status: Status) -> list[Result]:
    return [c for c in node.children if named(c.id) and c.status is status]


def _failing(node: Result) -> list[str]:
    """The most specific named criteria that make an inclusion group not met."""
    if node.status is not Status.NOT_MET:
        return []
    inner = (
        _named_children(node, Status.NOT_MET) if node.kind == "all" or not named(node.id) else []
    )
    if inner:
        return [i for child in inner for i in _failing(child)]
    return [node.id] if named(node.id) else []


def _excluding(node: Result) -> list[str]:
    """The most specific named criteria that make a non-inclusion group met."""
    if node.status is not Status.MET:
        return []
    inner = _named_children(node, Status.MET) if node.kind == "any" else []
    if inner:
        return [i for child in inner for i in _excluding(child)]
    return [node.id] if named(node.id) else []


def reasons(result: Result) -> list[str]:
    """Why a verdict is "not eligible": inclusion criteria not met, non-inclusion criteria met."""
    found: list[str] = []
    for child in result.children:
        if child.id.endswith(".inclusion"):
            found += _failing(child)
        elif child.id.endswith(".non_inclusion"):
            found += _excluding(child)
    return found


def reasons_from_dict(result: dict[str, Any]) -> list[str]:
    """``reasons`` of a frozen verdict tree (``Result.to_dict``)."""
    return reasons(_result_from_dict(result))


def _result_from_dict(data: dict[str, Any]) -> Result:
    return Result(
        data["id"],
        data["kind"],
        Status(data["status"]),
        Text(data["text"]["fr"], data["text"]["en"]),
        Evidence(Text("", "")),
        tuple(_result_from_dict(c) for c in data["children"]),
    )


# --- Presentation ------------------------------------------------------------------------------


@dataclass
class EvidenceFact:
    role: str
    label: str
    value: str
    date: str
    source: str
    row: str
    link: str | None


@dataclass
class Node:
    id: str
    depth: int
    status: str
    symbol: str
    text: str
    summary: str
    reading: str | None
    missing: str | None
    facts: list[EvidenceFact]
    values: list[tuple[str, Any]]
    has_children: bool
    named: bool
    label: str
    show_text: bool


YES_NO = {
    "finding": (Text("présent", "present"), Text("absent", "absent")),
    "statement": (Text("oui", "yes"), Text("non", "no")),
    "attribute": (Text("oui", "yes"), Text("non", "no")),
    "exposure": (Text("reçu", "given"), Text("jamais reçu", "never given")),
    "consent": (Text("signé", "signed"), Text("refusé ou retiré", "refused or withdrawn")),
}


def _fact_value(use: FactUse) -> str:
    fact = use.fact
    definition = codes.CODES.get(fact.code)
    if definition is not None and definition.value == "bool" and fact.value_num in (0.0, 1.0):
        yes, no = YES_NO[definition.kind]
        shown = render(yes if fact.value_num == 1 else no)
        return f"{shown} ({fact.value_text})" if fact.value_text else shown
    if fact.value_num is not None and fact.code not in {"sex", "birth_month"}:
        value = f"{fact.value_num:g}"
        if fact.unit and fact.unit != "points":
            value += f" {fact.unit}"
        if fact.value_text and fact.unit is not None:
            value += f" [{fact.value_text}]"
        return value
    return fact.value_text or ""


def source_link(participant: Participant, row: str, fact_code: str = "") -> str | None:
    """The page holding the record a fact came from (``measurement:12`` → its form)."""
    code = participant.code
    kind, _sep, rest = row.partition(":")
    anchors = {
        "measurement": "screening:measurements",
        "bp": "screening:blood_pressures",
        "mrss": "screening:skin_scores",
        "course": "screening:courses",
        "statement": "screening:statements",
        "profile": "screening:courses",
    }
    if kind in anchors:
        pk = rest.split(".", 1)[0]
        return reverse(anchors[kind], args=[code]) + f"#{kind}-{pk}"
    if kind == "finding":
        for section in catalogue.FINDING_SECTIONS:
            if section.role == participant.kind and fact_code in section.codes:
                name = "screening:findings_" + section.slug.replace("-", "_")
                return reverse(name, args=[code]) + f"#question-{fact_code}"
        return None
    if row.startswith("person."):
        if row in {"person.sex", "person.birth_month", "person.relationship"}:
            return reverse("trial:participant_detail", args=[code])
        return reverse("screening:profile", args=[code])
    if kind in {"consent"}:
        return reverse("trial:participant_detail", args=[code]) + "#consents"
    if kind == "donor":
        return reverse("trial:participant_detail", args=[rest.split(".", 1)[0]])
    return None


def _link(participant: Participant, use: FactUse, forms: bool) -> str | None:
    link = source_link(participant, use.fact.source_row_id, use.fact.code)
    if link is None or forms or "/screening/" not in link:
        return link
    return None


def nodes(evaluation: Evaluation, *, forms: bool = True) -> list[Node]:
    """The verdict tree, flattened in tree order, in the active language; evidence links to the
    screening forms only for ``forms=True`` (a user who may open them)."""
    if evaluation.screening is None:
        return []
    participant = evaluation.participant
    return tree_nodes(evaluation.screening, lambda use: _link(participant, use, forms))


def tree_nodes(screening: Screening, link: Callable[[FactUse], str | None]) -> list[Node]:
    """A screening's verdict tree as :class:`Node` rows, in tree order and the active language;
    ``link`` gives each piece of evidence its link (or ``None``). The screening page and the
    warehouse's explanation of one person both show this."""
    language = lang()
    out = []
    for depth, r in screening.result.walk():
        ev = r.evidence
        facts = [
            EvidenceFact(
                role=use.role,
                label=codes.label(use.fact.code).render(language)
                if use.fact.code in codes.CODES
                else use.fact.code,
                value=_fact_value(use),
                date=" ".join(
                    part
                    for part in (
                        use.fact.date.isoformat() if use.fact.date else "",
                        use.fact.time.strftime("%H:%M") if use.fact.time else "",
                    )
                    if part
                ),
                source=use.fact.source,
                row=use.fact.source_row_id,
                link=link(use),
            )
            for use in ev.facts
        ]
        out.append(
            Node(
                id=r.id,
                depth=depth,
                status=r.status.value,
                symbol=SYMBOLS[r.status],
                text=render(r.text),
                summary=render(ev.summary),
                reading=render(ev.reading) if ev.reading is not None else None,
                missing=render(ev.missing)
                if ev.missing is not None and not r.status.determined
                else None,
                facts=facts,
                values=list(ev.values),
                has_children=bool(r.children),
                named=named(r.id),
                label=render(status_label(r.status)),
                show_text="." not in r.id,
            )
        )
    return out


def missing(evaluation: Evaluation) -> list[tuple[str, str, str]]:
    """What would decide the undetermined criteria: (criterion, status label, what), in order."""
    if evaluation.screening is None:
        return []
    return [
        (criterion, render(status_label(status)), render(text))
        for criterion, status, text in evaluation.screening.result.missing()
    ]
