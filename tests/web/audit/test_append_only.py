"""The database refuses to change, delete or slip rows into the audit trail."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from sclerocell.web.accounts.models import Site
from sclerocell.web.audit.context import audit_scope
from sclerocell.web.audit.models import AuditEvent
from tests.web.conftest import Personas

from .conftest import Trail, execute


@pytest.fixture
def event(personas: Personas, trail: Trail) -> AuditEvent:
    with audit_scope(by=personas.investigator_a, action="x"):
        Site.objects.create(number=90, name="C")
    return trail.new()[0]


def refused(sql: str, params: list[object] | None = None) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute(sql, params)


def test_an_audit_event_cannot_be_changed(event: AuditEvent) -> None:
    refused("UPDATE audit_event SET reason = 'x' WHERE seq = %s", [event.seq])


def test_an_audit_event_cannot_be_deleted(event: AuditEvent) -> None:
    refused("DELETE FROM audit_event WHERE seq = %s", [event.seq])


def test_an_audit_event_cannot_be_inserted_by_hand(event: AuditEvent) -> None:
    columns = [f.column for f in AuditEvent._meta.concrete_fields if f.column != "seq"]
    refused(
        f"INSERT INTO audit_event (seq, {', '.join(columns)}) "  # noqa: S608 - fixed names
        f"SELECT seq + 1, {', '.join(columns)} FROM audit_event WHERE seq = %s",
        [event.seq],
    )


@pytest.mark.postgres  # TRUNCATE is PostgreSQL's
def test_the_audit_trail_cannot_be_truncated(event: AuditEvent) -> None:
    refused("TRUNCATE audit_event")


def test_the_orm_does_not_write_audit_events(event: AuditEvent) -> None:
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
