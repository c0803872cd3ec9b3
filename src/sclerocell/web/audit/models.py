"""The audit trail: one append-only, hash-chained row per change of an audited row.

Rows are written by database triggers only (see ``triggers``); the application never saves an
``AuditEvent``. Triggers on the table itself refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE
and any INSERT that does not come from an audit trigger).
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .registry import audited


class Operation(models.TextChoices):
    INSERT = "insert", pgettext_lazy("audit operation", "created")
    UPDATE = "update", pgettext_lazy("audit operation", "changed")
    DELETE = "delete", pgettext_lazy("audit operation", "deleted")


class Channel(models.TextChoices):
    ACTION = "action", _("application action")
    UNSCOPED = "unscoped", _("application, outside any action")
    DIRECT_SQL = "direct_sql", _("direct database change")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_participant(self, participant: models.Model | int) -> AuditEventQuerySet:
        """Every event of one participant — their own row and the rows that point to them."""
        pk = participant if isinstance(participant, int) else participant.pk
        return self.filter(participant_pk=pk).order_by("seq")

    def for_row(self, instance: models.Model) -> AuditEventQuerySet:
        """The history of one row."""
        return self.filter(table_name=instance._meta.db_table, row_pk=str(instance.pk)).order_by(
            "seq"
        )


class AuditEvent(models.Model):
    seq = models.BigIntegerField(_("sequence number"), primary_key=True)
    occurred_at = models.DateTimeField(_("time (database clock)"))
    table_name = models.CharField(_("table"), max_length=200)
    row_pk = models.CharField(_("row"), max_length=200)
    participant_pk = models.BigIntegerField(_("participant"), null=True, db_index=True)
    operation = models.CharField(_("operation"), max_length=8, choices=Operation.choices)
    # NULL: there is no old row (insert) or no new row (delete) — not an empty value.
    old_values = models.TextField(_("old values"), null=True)  # noqa: DJ001
    new_values = models.TextField(_("new values"), null=True)  # noqa: DJ001
    changed_fields = models.TextField(_("changed fields"))
    actor_id = models.BigIntegerField(_("actor id"), null=True)
    actor_username = models.CharField(_("user"), max_length=150)
    actor_role = models.CharField(_("role"), max_length=32)
    reason = models.TextField(_("reason"))
    action = models.CharField(_("action"), max_length=100)
    scope_id = models.CharField(_("action instance"), max_length=32)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    db_user = models.CharField(_("database user"), max_length=100)
    origin_address = models.CharField(_("address"), max_length=64)
    origin_user_agent = models.CharField(_("user agent"), max_length=300)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        db_table = "audit_event"
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["table_name", "row_pk"], name="audit_event_row")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.operation} {self.table_name}:{self.row_pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("audit events are written by the database triggers only")

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("the audit trail is append-only")

    @property
    def old(self) -> dict[str, Any]:
        return json.loads(self.old_values) if self.old_values else {}

    @property
    def new(self) -> dict[str, Any]:
        return json.loads(self.new_values) if self.new_values else {}

    @property
    def changed(self) -> list[str]:
        return list(json.loads(self.changed_fields)) if self.changed_fields else []


@audited(participant="participant_pk")
class AuditExport(models.Model):
    """One export of audit events — itself audited, so the trail shows who took a copy."""

    participant_pk = models.BigIntegerField(_("participant"), null=True)
    format = models.CharField(_("format"), max_length=8)
    row_count = models.PositiveIntegerField(_("rows"))
    last_seq = models.BigIntegerField(_("last event exported"), null=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)

    class Meta:
        db_table = "audit_export"
        verbose_name = _("audit export")
        verbose_name_plural = _("audit exports")

    def __str__(self) -> str:
        return f"{self.format} {self.participant_pk} {self.sha256[:12]}"
