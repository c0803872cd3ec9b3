"""Audit events as people read them: field by field, old → new, with labels — and as CSV.

The page and the CSV export show the same rows. Values are shown as stored (the raw value goes
to the CSV; the page adds the label of a choice and yes/no for a boolean).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sclerocell.web.accounts.roles import ROLE_LABELS, Role

from .models import AuditEvent, Channel, Operation
from .registry import spec_for_table


@dataclass(frozen=True)
class Change:
    column: str
    label: str
    old: str
    new: str
    old_display: str
    new_display: str


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    what: str
    who: str
    role: str
    operation: str
    channel: str
    changes: list[Change]
    at_utc: datetime
    at_local: datetime


def _raw(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _display(field: models.Field[Any, Any] | None, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(field, models.BooleanField) or isinstance(value, bool):
        return (
            pgettext("boolean value", "yes")
            if value in (True, 1, "1", "true", "t")
            else pgettext("boolean value", "no")
        )
    if field is not None and field.choices:
        label = dict(field.flatchoices).get(value)
        if label is not None and str(label) != str(value):
            return f"{label} ({value})"
    return _raw(value)


def _fields_by_column(model: type[models.Model] | None) -> dict[str, models.Field[Any, Any]]:
    if model is None:
        return {}
    return {f.column: f for f in model._meta.concrete_fields if f.column is not None}


def _who(event: AuditEvent) -> str:
    if event.channel == Channel.DIRECT_SQL:
        return _("database user %(user)s (direct SQL)") % {"user": event.actor_username}
    if event.channel == Channel.UNSCOPED:
        return _("the application, outside any action")
    if event.actor_id is None:
        return _("the system")
    return event.actor_username


def _role(event: AuditEvent) -> str:
    try:
        return str(ROLE_LABELS[Role(event.actor_role)])
    except ValueError:
        return event.actor_role


def present(event: AuditEvent) -> EventRow:
    spec = spec_for_table(event.table_name)
    model = spec.model if spec is not None else None
    fields = _fields_by_column(model)
    order = {column: index for index, column in enumerate(fields)}
    old, new = event.old, event.new
    changes = []
    for column in sorted(event.changed, key=lambda c: (order.get(c, len(order)), c)):
        field = fields.get(column)
        label = str(field.verbose_name) if field is not None else column
        old_value, new_value = old.get(column), new.get(column)
        changes.append(
            Change(
                column,
                label,
                _raw(old_value),
                _raw(new_value),
                _display(field, old_value),
                _display(field, new_value),
            )
        )
    if model is None:
        what = f"{event.table_name} #{event.row_pk}"
    elif spec is not None and spec.participant == "self":
        what = str(model._meta.verbose_name)
    else:
        what = f"{model._meta.verbose_name} #{event.row_pk}"
    return EventRow(
        event=event,
        what=what,
        who=_who(event),
        role=_role(event),
        operation=str(Operation(event.operation).label),
        channel=str(Channel(event.channel).label),
        changes=changes,
        at_utc=event.occurred_at,
        at_local=event.occurred_at.astimezone(ZoneInfo(settings.TIME_ZONE)),
    )


CSV_COLUMNS = (
    "seq",
    "occurred_at_utc",
    "occurred_at_local",
    "user",
    "role",
    "action",
    "operation",
    "table",
    "row",
    "field",
    "old_value",
    "new_value",
    "reason",
    "channel",
    "database_user",
    "address",
    "user_agent",
    "hash",
)


def _cell(value: Any) -> str:
    """Neutralise a spreadsheet formula (CSV injection): a leading ' makes it plain text."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "@", "\t", "\r") or (
        text[:1] == "-" and not text[1:2].isdigit() and text[1:2] != "."
    ):
        return "'" + text
    return text


def to_csv(rows: Iterable[EventRow]) -> tuple[str, int]:
    """The CSV text (one line per changed field) and its number of data lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    lines = 0
    for row in rows:
        event = row.event
        for change in row.changes or [Change("", "", "", "", "", "")]:
            writer.writerow(
                _cell(value)
                for value in (
                    event.seq,
                    row.at_utc.isoformat(),
                    row.at_local.isoformat(),
                    event.actor_username,
                    event.actor_role,
                    event.action,
                    event.operation,
                    event.table_name,
                    event.row_pk,
                    change.column,
                    change.old,
                    change.new,
                    event.reason,
                    event.channel,
                    event.db_user,
                    event.origin_address,
                    event.origin_user_agent,
                    event.hash,
                )
            )
            lines += 1
    return buffer.getvalue(), lines
