"""One warehouse person's explanation as the screening page shows a participant's: the same
nodes (:class:`sclerocell.web.screening.evaluation.Node`), symbols and value rendering, without
links (the evidence is a warehouse row, ``omop.<table>`` ``<table>:<row id>/<code>``, not a
form of the application)."""

from __future__ import annotations

from sclerocell.criteria.logic import status_label
from sclerocell.criteria.status import Status
from sclerocell.protocol.screen import Screening
from sclerocell.web.screening.catalogue import render
from sclerocell.web.screening.evaluation import Node, reasons, tree_nodes


def nodes(screening: Screening) -> list[Node]:
    """The verdict tree, flattened in tree order, in the active language (no evidence links)."""
    return tree_nodes(screening, lambda _use: None)


def missing(screening: Screening) -> list[tuple[str, str, str]]:
    """What would decide the undetermined criteria: (criterion, status label, what)."""
    return [
        (criterion, render(status_label(status)), render(text))
        for criterion, status, text in screening.result.missing()
    ]


def not_met_reasons(screening: Screening) -> list[str]:
    return reasons(screening.result) if screening.verdict is Status.NOT_MET else []
