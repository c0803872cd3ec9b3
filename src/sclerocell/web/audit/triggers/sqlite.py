"""SQLite: three triggers per audited table, generated from the model's columns, and the guard.

The triggers call two functions that exist only on the application's connections
(``connection_setup``): ``sclerocell_audit_ctx()`` (the context of the current ``audit_scope``)
and ``sclerocell_audit_hash(...)`` (``chain.event_hash``). A write from outside the application
(the ``sqlite3`` shell, another program) fails with "no such function": SQLite cannot tell who
made it, so it refuses it.

SQLite serialises writers (one write transaction at a time), so reading the last event and
appending the next one in the trigger keeps the chain linear without a lock of our own.
"""

from __future__ import annotations

import json
from typing import Any

from ..chain import GENESIS, HASHED_FIELDS, event_hash
from ..context import current_context
from ..registry import AuditSpec

PREFIX = "sclerocell_audit_"
# SQLite allows 127 arguments per function call (before 3.48): 50 key/value pairs per object.
PAIRS_PER_CALL = 50
EVENT_COLUMNS = (*HASHED_FIELDS, "prev_hash", "hash")


def context_json() -> str:
    """``sclerocell_audit_ctx()``: the current context, or the unscoped marker."""
    ctx = current_context()
    if ctx is None:
        return '{"channel":"unscoped"}'
    data = json.loads(ctx.as_json())
    data["channel"] = "action"
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def hash_function(prev_hash: str, *values: Any) -> str:
    return event_hash(prev_hash, values)


def connection_setup(raw_connection: Any) -> None:
    raw_connection.create_function("sclerocell_audit_ctx", 0, context_json, deterministic=False)
    raw_connection.create_function(
        "sclerocell_audit_hash", 1 + len(HASHED_FIELDS), hash_function, deterministic=True
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _json_object(columns: list[str], row: str) -> str:
    chunks = [columns[i : i + PAIRS_PER_CALL] for i in range(0, len(columns), PAIRS_PER_CALL)]
    objects = [
        "json_object(" + ", ".join(f"{_literal(c)}, {row}.{_q(c)}" for c in chunk) + ")"
        for chunk in chunks
    ]
    if len(objects) == 1:
        return objects[0]
    inner = " || ',' || ".join(f"substr({o}, 2, length({o}) - 2)" for o in objects)
    return f"('{{' || {inner} || '}}')"


# The SQL below is assembled from constants and from model metadata (table and column names,
# quoted by _q), never from user input: hence its S608 exemptions.


def _participant(spec: AuditSpec, row: str) -> str:
    path = spec.participant_path()
    if path is None:
        return "NULL"
    expression = f"{row}.{_q(path.column)}"
    for hop in path.hops:
        expression = (
            f"(SELECT {_q(hop.fk_column)} FROM {_q(hop.table)} "  # noqa: S608
            f"WHERE {_q(hop.pk_column)} = {expression})"
        )
    return f"CAST({expression} AS INTEGER)"


def _changed_list(columns: list[str]) -> str:
    return _literal("[" + ",".join(json.dumps(c) for c in sorted(columns)) + "]")


def _changed_expression(columns: list[str]) -> str:
    cases = " || ".join(
        f"CASE WHEN OLD.{_q(c)} IS NOT NEW.{_q(c)} THEN {_literal(',' + json.dumps(c))} ELSE '' END"
        for c in sorted(columns)
    )
    return f"'[' || substr({cases}, 2) || ']'"


def _append(spec: AuditSpec, operation: str) -> str:
    columns = spec.columns()
    row = "OLD" if operation == "delete" else "NEW"
    old = _json_object(columns, "OLD") if operation != "insert" else "NULL"
    new = _json_object(columns, "NEW") if operation != "delete" else "NULL"
    changed = _changed_expression(columns) if operation == "update" else _changed_list(columns)
    ctx = "c.ctx"
    values = {
        "seq": "(SELECT coalesce(max(seq), 0) + 1 FROM audit_event)",
        "occurred_at": "strftime('%Y-%m-%d %H:%M:%f', 'now')",
        "table_name": _literal(spec.table),
        "row_pk": f"CAST({row}.{_q(spec.pk_column)} AS TEXT)",
        "participant_pk": _participant(spec, row),
        "operation": _literal(operation),
        "old_values": old,
        "new_values": new,
        "changed_fields": changed,
        "actor_id": f"CAST(json_extract({ctx}, '$.actor_id') AS INTEGER)",
        "actor_username": f"coalesce(json_extract({ctx}, '$.actor_username'), '')",
        "actor_role": f"coalesce(json_extract({ctx}, '$.actor_role'), '')",
        "reason": f"coalesce(json_extract({ctx}, '$.reason'), '')",
        "action": f"coalesce(json_extract({ctx}, '$.action'), '')",
        "scope_id": f"coalesce(json_extract({ctx}, '$.scope_id'), '')",
        "channel": f"json_extract({ctx}, '$.channel')",
        "db_user": "''",
        "origin_address": f"coalesce(json_extract({ctx}, '$.origin_address'), '')",
        "origin_user_agent": f"coalesce(json_extract({ctx}, '$.origin_user_agent'), '')",
        "prev_hash": (
            "coalesce((SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1), "  # noqa: S608
            f"{_literal(GENESIS)})"
        ),
    }
    inner = ", ".join(f"{expr} AS {name}" for name, expr in values.items())
    hashed = ", ".join(f"v.{name}" for name in HASHED_FIELDS)
    return (
        f"INSERT INTO audit_event ({', '.join(EVENT_COLUMNS)}) "  # noqa: S608
        f"SELECT {hashed}, v.prev_hash, sclerocell_audit_hash(v.prev_hash, {hashed}) "
        f"FROM (SELECT {inner} FROM (SELECT sclerocell_audit_ctx() AS ctx) AS c) AS v;"
    )


def _refuse_without_reason(spec: AuditSpec, condition: str, operation: str) -> str:
    message = f"sclerocell-audit: reason required to {operation} a row of {spec.table}"
    return (
        f"SELECT RAISE(ABORT, {_literal(message)}) WHERE ({condition}) AND "
        "coalesce(json_extract(sclerocell_audit_ctx(), '$.reason'), '') = '';"
    )


def row_triggers(spec: AuditSpec) -> list[str]:
    table, columns = spec.table, spec.columns()
    bookkeeping = set(spec.bookkeeping_columns())
    any_change = " OR ".join(f"OLD.{_q(c)} IS NOT NEW.{_q(c)}" for c in columns)
    entered_change = " OR ".join(
        f"(OLD.{_q(c)} IS NOT NEW.{_q(c)} AND OLD.{_q(c)} IS NOT NULL AND OLD.{_q(c)} <> '')"
        for c in columns
        if c not in bookkeeping
    )
    name = PREFIX + table
    return [
        f"CREATE TRIGGER {_q(name + '_insert')} AFTER INSERT ON {_q(table)} FOR EACH ROW "
        f"BEGIN {_append(spec, 'insert')} END;",
        f"CREATE TRIGGER {_q(name + '_update')} AFTER UPDATE ON {_q(table)} FOR EACH ROW "
        f"WHEN {any_change} BEGIN "
        f"{_refuse_without_reason(spec, entered_change or '0', 'update')} "
        f"{_append(spec, 'update')} END;",
        f"CREATE TRIGGER {_q(name + '_delete')} AFTER DELETE ON {_q(table)} FOR EACH ROW BEGIN "
        f"{_refuse_without_reason(spec, '1', 'delete')} {_append(spec, 'delete')} END;",
    ]


_HASH_OF_NEW = ", ".join(f"NEW.{name}" for name in HASHED_FIELDS)
GUARD_TRIGGERS = [
    f"CREATE TRIGGER {PREFIX}guard_update BEFORE UPDATE ON audit_event BEGIN "
    "SELECT RAISE(ABORT, 'sclerocell-audit: the audit trail is append-only (UPDATE refused)'); "
    "END;",
    f"CREATE TRIGGER {PREFIX}guard_delete BEFORE DELETE ON audit_event BEGIN "
    "SELECT RAISE(ABORT, 'sclerocell-audit: the audit trail is append-only (DELETE refused)'); "
    "END;",
    # Only a row that extends the chain correctly may be inserted — and only by the application,
    # which alone has the hash function.
    f"CREATE TRIGGER {PREFIX}guard_insert BEFORE INSERT ON audit_event "  # noqa: S608
    "WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM audit_event) "
    f"OR NEW.prev_hash IS NOT coalesce((SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1), "
    f"{_literal(GENESIS)}) "
    f"OR NEW.hash IS NOT sclerocell_audit_hash(NEW.prev_hash, {_HASH_OF_NEW}) BEGIN "
    "SELECT RAISE(ABORT, 'sclerocell-audit: the audit trail is append-only (INSERT refused)'); "
    "END;",
]


def _existing(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s ESCAPE '\\'",
        [PREFIX.replace("_", "\\_") + "%"],
    )
    return [name for (name,) in cursor.fetchall()]


def uninstall(cursor: Any) -> None:
    for name in _existing(cursor):
        cursor.execute(f"DROP TRIGGER IF EXISTS {_q(name)}")


def install(cursor: Any, specs: list[AuditSpec], tables: set[str]) -> None:
    uninstall(cursor)
    if "audit_event" not in tables:
        return
    for statement in GUARD_TRIGGERS:
        cursor.execute(statement)
    for spec in specs:
        if spec.table in tables:
            for statement in row_triggers(spec):
                cursor.execute(statement)
