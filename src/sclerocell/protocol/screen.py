"""Screening: the public entry points of the eligibility core.

One person (the screening page, the CLI)::

    from sclerocell.protocol.screen import screen
    s = screen("recipient", facts, index_date)      # facts: Iterable[Fact]
    s.verdict            # Status.MET / NOT_MET / UNKNOWN / NOT_ASSESSABLE
    s.result             # Result tree: id, status, text, evidence, children
    s.to_dict()          # JSON-ready, texts in both languages, with version and settings

Every subject of a fact table (the warehouse screen)::

    from sclerocell.protocol.screen import compile_screen, screen_table
    expr = compile_screen("recipient", ibis_facts_table, index_date)   # ibis expression
    table = screen_table("recipient", arrow_facts, index_date)          # pyarrow, via DuckDB
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sclerocell.criteria.base import Criterion
from sclerocell.criteria.compiler import compile_tree, run_duckdb
from sclerocell.criteria.evaluate import evaluate
from sclerocell.criteria.result import Result
from sclerocell.criteria.select import PersonFacts
from sclerocell.criteria.status import Status
from sclerocell.facts.schema import Fact
from sclerocell.facts.screening_input import ScreeningInput
from sclerocell.protocol.donor import donor_criteria
from sclerocell.protocol.recipient import recipient_criteria
from sclerocell.protocol.settings import DEFAULT, ProtocolSettings

if TYPE_CHECKING:
    import pyarrow as pa

Role = Literal["recipient", "donor"]


def criteria(role: Role, settings: ProtocolSettings = DEFAULT) -> Criterion:
    """The criteria tree of ``role`` under ``settings`` (built once, then cached)."""
    return recipient_criteria(settings) if role == "recipient" else donor_criteria(settings)


@dataclass(frozen=True)
class Screening:
    """One person's screening: the result tree and what produced it."""

    role: Role
    subject_id: str | None
    index_date: dt.date
    settings: ProtocolSettings
    result: Result

    @property
    def verdict(self) -> Status:
        return self.result.status

    @property
    def protocol_version(self) -> str:
        return self.settings.version

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "subject_id": self.subject_id,
            "index_date": self.index_date.isoformat(),
            "protocol_version": self.settings.version,
            "settings_hash": self.settings.hash,
            "settings": self.settings.to_dict(),
            "verdict": self.verdict.value,
            "missing": [
                {"id": i, "status": s.value, "missing": t.to_dict()}
                for i, s, t in self.result.missing()
            ],
            "result": self.result.to_dict(),
        }


def screen(
    role: Role,
    facts: Iterable[Fact] | PersonFacts,
    index_date: dt.date,
    settings: ProtocolSettings = DEFAULT,
) -> Screening:
    """Evaluate one person's facts against every criterion of ``role``, as of ``index_date``."""
    person = facts if isinstance(facts, PersonFacts) else PersonFacts(facts)
    result = evaluate(criteria(role, settings), person, index_date)
    return Screening(role, person.subject_id, index_date, settings, result)


def screen_input(
    data: ScreeningInput,
    index_date: dt.date | None = None,
    settings: ProtocolSettings = DEFAULT,
) -> Screening:
    """Screen a parsed input file; the index date is the argument, else the file's, else today."""
    day = index_date or data.index_date or dt.date.today()  # noqa: DTZ011 - a calendar date
    screening = screen(data.role, data.facts, day, settings)
    return Screening(data.role, data.subject_id, day, settings, screening.result)


def compile_screen(
    role: Role, facts: Any, index_date: dt.date, settings: ProtocolSettings = DEFAULT
) -> Any:
    """An ibis expression: one row per subject of ``facts``, one int8 status column per criterion
    (codes of :mod:`sclerocell.criteria.status`)."""
    return compile_tree(criteria(role, settings), facts, index_date)


def screen_table(
    role: Role, facts: pa.Table, index_date: dt.date, settings: ProtocolSettings = DEFAULT
) -> pa.Table:
    """Every subject of an arrow fact table screened on DuckDB (status names per criterion)."""
    return run_duckdb(criteria(role, settings), index_date, facts)
