"""The example recipient and donor (``examples/*.json``) as fact lists that tests edit."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from sclerocell.criteria.status import Status
from sclerocell.facts.schema import Fact
from sclerocell.facts.screening_input import load
from sclerocell.protocol.screen import Role, screen
from sclerocell.protocol.settings import DEFAULT, ProtocolSettings

from ..criteria.build import D, days, fact

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
__all__ = ["EXAMPLES", "D", "days", "donor", "fact", "recipient", "replace", "status"]


def recipient() -> list[Fact]:
    return list(load(EXAMPLES / "recipient.json").facts)


def donor() -> list[Fact]:
    return list(load(EXAMPLES / "donor.json").facts)


def replace(facts: list[Fact], *new: Fact, drop: tuple[str, ...] = ()) -> list[Fact]:
    """``facts`` without any fact of the codes in ``new`` or ``drop``, plus ``new``."""
    codes = {f.code for f in new} | set(drop)
    subject = facts[0].subject_id
    kept = [f for f in facts if f.code not in codes]
    return kept + [dataclasses.replace(f, subject_id=subject) for f in new]


def status(
    role: Role,
    facts: list[Fact],
    criterion: str,
    settings: ProtocolSettings = DEFAULT,
    index_date: dt.date = D,
) -> Status:
    return screen(role, facts, index_date, settings).result.find(criterion).status
