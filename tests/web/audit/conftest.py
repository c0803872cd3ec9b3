"""Fixtures of the audit tests: the events written since a test began, and the attacker's tools."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import connection

from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.trial import actions
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
SCREENED = datetime.date(2015, 3, 2)


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


class Trail:
    """The audit events written since the fixture was created."""

    def __init__(self) -> None:
        self.start = last_seq()

    def new(self) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(seq__gt=self.start).order_by("seq"))

    def mark(self) -> None:
        self.start = last_seq()


@pytest.fixture
def trail(personas: Personas) -> Trail:
    return Trail()


def new_recipient(personas: Personas, site: str = "a") -> Participant:
    by = personas.investigator_a if site == "a" else personas.investigator_b
    return actions.register_recipient(
        getattr(personas, f"site_{site}"),
        by=by,
        birth_year=1970,
        birth_month=6,
        sex="F",
        screening_date=SCREENED,
    )


def execute(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def drop_the_guard() -> None:
    """What an attacker with the database owner's rights does first (undone by the rollback)."""
    if ON_POSTGRES:
        execute("ALTER TABLE audit_event DISABLE TRIGGER sclerocell_audit_guard")
    else:
        for name in ("update", "delete", "insert"):
            execute(f"DROP TRIGGER sclerocell_audit_guard_{name}")
