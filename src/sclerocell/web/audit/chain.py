"""The hash chain of the audit trail: how one event's hash is computed from its fields.

    hash = sha256_hex( prev_hash || "|" || field_1 || field_2 || … )

each field written as ``<length in characters>:<text>;`` (``-;`` for NULL), so no two different
rows serialise alike. Timestamps enter as the database renders them (PostgreSQL:
``to_char(... AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')``; SQLite: the stored text);
the JSON of old and new values enters as its stored text, byte for byte. The PostgreSQL trigger
computes the same thing in SQL (``triggers.postgres``); the SQLite trigger calls ``event_hash``;
``verify`` recomputes it for every row.

Plain Python, no Django: the chain can be checked from an export without the application.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

GENESIS = "0" * 64

# The hashed fields of an audit event, in hashing order (the columns of ``audit_event``).
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "table_name",
    "row_pk",
    "participant_pk",
    "operation",
    "old_values",
    "new_values",
    "changed_fields",
    "actor_id",
    "actor_username",
    "actor_role",
    "reason",
    "action",
    "scope_id",
    "channel",
    "db_user",
    "origin_address",
    "origin_user_agent",
)

type Field = str | int | None


def serialise(values: Sequence[Field]) -> str:
    parts = []
    for value in values:
        if value is None:
            parts.append("-;")
        else:
            text = str(value)
            parts.append(f"{len(text)}:{text};")
    return "".join(parts)


def event_hash(prev_hash: str, values: Sequence[Field]) -> str:
    if len(values) != len(HASHED_FIELDS):
        raise ValueError(f"an audit event has {len(HASHED_FIELDS)} hashed fields")
    payload = f"{prev_hash}|{serialise(values)}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
