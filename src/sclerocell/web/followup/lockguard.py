"""A locked form never changes: database triggers refuse every UPDATE and DELETE of a locked row.

The actions refuse first, with a translated message; these triggers cover every other write path
(a queryset ``update()``, the admin, raw SQL, another client). They also refuse a change to a
visit that holds a locked form (its date is part of the locked data).

Installed after every ``migrate`` and ``flush`` (``post_migrate``), like the audit triggers, and on
SQLite removed before ``migrate`` (SQLite rebuilds a table to alter it). On SQLite the DELETE guard
stands down while the audit app's own guard is lifted: only the audit app's ``flush`` does that,
to empty a development or test database.
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connections, transaction

from sclerocell.web.audit.triggers import sqlite as audit_sqlite

#: The marker in the message of a refused write (the actions turn it into a translated error).
REFUSAL = "sclerocell-followup: locked"
PREFIX = "sclerocell_followup_"
VISIT_TABLE = "followup_visit"


def form_tables() -> list[str]:
    from .models import FORM_MODELS

    return sorted(model._meta.db_table for model in FORM_MODELS.values())


def is_lock_refusal(error: BaseException) -> bool:
    return isinstance(error, DatabaseError) and REFUSAL in str(error)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- SQLite ------------------------------------------------------------------------------------
# Statements are assembled from model metadata (table names), never from user input.

_AUDIT_GUARD_UP = (
    "EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' "  # noqa: S608
    f"AND name = '{audit_sqlite.PREFIX}guard_delete')"
)


def _sqlite_statements(tables: list[str]) -> list[str]:
    statements = []
    for table in tables:
        for operation, extra in (("UPDATE", ""), ("DELETE", f" AND {_AUDIT_GUARD_UP}")):
            name = f"{PREFIX}{table}_{operation.lower()}"
            message = f"{REFUSAL} form ({table}): {operation} refused"
            statements.append(
                f"CREATE TRIGGER {_q(name)} BEFORE {operation} ON {_q(table)} "
                f"WHEN OLD.status = 'locked'{extra} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END;"
            )
    holds_locked = " OR ".join(
        f"EXISTS (SELECT 1 FROM {_q(t)} WHERE visit_id = OLD.id AND status = 'locked')"  # noqa: S608
        for t in tables
    )
    for operation, extra in (("UPDATE", ""), ("DELETE", f" AND {_AUDIT_GUARD_UP}")):
        name = f"{PREFIX}{VISIT_TABLE}_{operation.lower()}"
        message = f"{REFUSAL} form: {operation} of its visit refused"
        statements.append(
            f"CREATE TRIGGER {_q(name)} BEFORE {operation} ON {_q(VISIT_TABLE)} "
            f"WHEN ({holds_locked}){extra} BEGIN SELECT RAISE(ABORT, '{message}'); END;"
        )
    return statements


def _sqlite_uninstall(cursor: Any) -> None:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s ESCAPE '\\'",
        [PREFIX.replace("_", "\\_") + "%"],
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f"DROP TRIGGER IF EXISTS {_q(name)}")


# --- PostgreSQL --------------------------------------------------------------------------------

_PG_FORM_FUNCTION = f"""
CREATE OR REPLACE FUNCTION sclerocell_followup_refuse_locked() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF OLD.status = 'locked' THEN
    RAISE EXCEPTION '{REFUSAL} form (%): % refused', TG_TABLE_NAME, TG_OP
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$fn$;
"""

# Arguments: the form tables, whose rows point to the visit through visit_id.
_PG_VISIT_FUNCTION = """
CREATE OR REPLACE FUNCTION sclerocell_followup_refuse_locked_visit() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  v_table text;
  v_locked boolean;
BEGIN
  FOREACH v_table IN ARRAY TG_ARGV LOOP
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE visit_id = $1 AND status = ''locked'')',
                   v_table) INTO v_locked USING OLD.id;
    IF v_locked THEN
      RAISE EXCEPTION '__REFUSAL__ form: % of its visit refused', TG_OP
        USING ERRCODE = 'restrict_violation';
    END IF;
  END LOOP;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$fn$;
""".replace("__REFUSAL__", REFUSAL)

TRIGGER = "sclerocell_followup_locked"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _pg_statements(tables: list[str]) -> list[str]:
    statements = [_PG_FORM_FUNCTION, _PG_VISIT_FUNCTION]
    for table in tables:
        statements += [
            f"DROP TRIGGER IF EXISTS {TRIGGER} ON {_q(table)}",
            f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {_q(table)} "
            "FOR EACH ROW EXECUTE FUNCTION sclerocell_followup_refuse_locked()",
        ]
    arguments = ", ".join(_literal(t) for t in tables)
    statements += [
        f"DROP TRIGGER IF EXISTS {TRIGGER} ON {_q(VISIT_TABLE)}",
        f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {_q(VISIT_TABLE)} "
        f"FOR EACH ROW EXECUTE FUNCTION sclerocell_followup_refuse_locked_visit({arguments})",
    ]
    return statements


# --- Installation ------------------------------------------------------------------------------


def install(using: str = "default") -> None:
    """(Re)install the guard on every form table and on the visit table (idempotent)."""
    connection = connections[using]
    tables = form_tables()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        if not {VISIT_TABLE, *tables} <= present:
            return  # not migrated yet
        if connection.vendor == "postgresql":
            for statement in _pg_statements(tables):
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            _sqlite_uninstall(cursor)
            for statement in _sqlite_statements(tables):
                cursor.execute(statement)
        else:
            raise RuntimeError(f"no lock guard for {connection.vendor}")


def installed(using: str = "default") -> set[str]:
    """The tables a guard trigger covers (for checks and tests)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s",
                [TRIGGER],
            )
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [PREFIX + "%"],
            )
        return {table for (table,) in cursor.fetchall()}


def on_pre_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    connection = connections[using]
    if connection.vendor == "sqlite":
        with transaction.atomic(using=using), connection.cursor() as cursor:
            _sqlite_uninstall(cursor)


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    install(using)
