"""Install the audit triggers, generated from the registry, on the current database.

``install`` is idempotent (drop, then create) and runs after every ``migrate`` and ``flush``
(``post_migrate``). On SQLite the triggers are removed before ``migrate`` (``pre_migrate``):
SQLite rebuilds a table to alter it and refuses to drop a column a trigger names; writes made by
a data migration on SQLite are therefore not audited. PostgreSQL keeps its triggers during
migrations (they serialise rows with ``to_jsonb``, whatever the columns), so data migrations
there are audited like any other write.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, transaction

from ..registry import REGISTRY, AuditSpec
from . import postgres, sqlite

SUPPORTED = {"postgresql", "sqlite"}


def _specs() -> list[AuditSpec]:
    return sorted(REGISTRY.values(), key=lambda spec: spec.table)


def install(using: str = "default") -> None:
    connection = connections[using]
    if connection.vendor not in SUPPORTED:
        raise RuntimeError(f"the audit trail has no triggers for {connection.vendor}")
    with transaction.atomic(using=using), connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        if connection.vendor == "postgresql":
            if "audit_event" in tables:
                postgres.install(cursor, connection, _specs(), tables)
        else:
            sqlite.install(cursor, _specs(), tables)


def uninstall(using: str = "default") -> None:
    """Remove every audit trigger — the guard included. Only ``flush`` and tests call this."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            postgres.uninstall(cursor, connection)
        elif connection.vendor == "sqlite":
            sqlite.uninstall(cursor)


def installed_tables(using: str = "default") -> dict[str, set[str]]:
    """For each table, the operations an audit trigger covers (for checks and tests)."""
    connection = connections[using]
    covered: dict[str, set[str]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgtype FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s",
                [postgres.ROW_TRIGGER],
            )
            for table, tgtype in cursor.fetchall():
                # pg_trigger.tgtype bits: 4 INSERT, 8 DELETE, 16 UPDATE.
                ops = {
                    op for bit, op in ((4, "insert"), (8, "delete"), (16, "update")) if tgtype & bit
                }
                covered.setdefault(table, set()).update(ops)
        else:
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [sqlite.PREFIX + "%"],
            )
            for table, name in cursor.fetchall():
                if table != "audit_event":
                    covered.setdefault(table, set()).add(name.rsplit("_", 1)[1])
    return covered


def on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        sqlite.connection_setup(connection.connection)
    elif connection.vendor == "postgresql":
        postgres.connection_setup(connection)


def on_pre_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    if connections[using].vendor == "sqlite":
        uninstall(using)


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    install(using)
