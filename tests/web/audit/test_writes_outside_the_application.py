"""SQL that bypasses the application: PostgreSQL records it; SQLite refuses it.

PostgreSQL: a change made by another client (psql, a script, a DBA) is captured by the same
triggers, marked ``direct_sql``, with the database role that made it. SQLite cannot tell who
writes, so its triggers call functions that only the application's connections have: any other
connection's write to an audited table fails.
"""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection

from sclerocell.web.accounts.models import Site
from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.audit.verify import verify

from .conftest import ON_POSTGRES, last_seq


def outside_connection() -> object:
    settings = connection.settings_dict
    if ON_POSTGRES:
        import psycopg

        return psycopg.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            password=settings["PASSWORD"] or None,
            autocommit=True,
        )
    return sqlite3.connect(settings["NAME"], uri=True)


@pytest.mark.postgres  # SQLite refuses instead (below)
@pytest.mark.django_db(transaction=True)
def test_postgresql_records_a_change_made_by_direct_sql() -> None:
    site = Site.objects.create(number=80, name="Centre D", city="Nantes")
    start = last_seq()

    with outside_connection() as conn:  # type: ignore[attr-defined]
        conn.execute("UPDATE accounts_site SET city = 'Rennes' WHERE number = 80")
        conn.execute("SET sclerocell.reason = 'ticket 123: wrong city'")
        conn.execute("DELETE FROM accounts_site WHERE number = 80")

    update, delete = AuditEvent.objects.filter(seq__gt=start).order_by("seq")
    assert (update.operation, update.old["city"], update.new["city"]) == (
        "update",
        "Nantes",
        "Rennes",
    )
    assert (update.channel, update.actor_username, update.reason) == (
        "direct_sql",
        connection.settings_dict["USER"],
        "",
    )
    assert update.db_user == connection.settings_dict["USER"]
    assert (delete.operation, delete.row_pk, delete.reason) == (
        "delete",
        str(site.pk),
        "ticket 123: wrong city",
    )
    assert verify().ok


@pytest.mark.sqlite  # PostgreSQL records instead (above)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO accounts_site (number, name, city) VALUES (81, 'Forged', '')",
        "UPDATE accounts_site SET city = 'Rennes' WHERE number = 80",
        "DELETE FROM accounts_site WHERE number = 80",
    ],
)
def test_sqlite_refuses_a_write_from_outside_the_application(statement: str) -> None:
    Site.objects.create(number=80, name="Centre D", city="Nantes")
    start = last_seq()

    conn = outside_connection()
    try:
        with pytest.raises(sqlite3.OperationalError, match="no such function"):
            conn.execute(statement)  # type: ignore[attr-defined]
    finally:
        conn.close()  # type: ignore[attr-defined]

    assert Site.objects.filter(number=80, city="Nantes").exists()
    assert not Site.objects.filter(number=81).exists()
    assert last_seq() == start


def test_the_database_runs_the_engine_these_tests_expect() -> None:
    """Guards the engine markers: the PostgreSQL run must really run on PostgreSQL."""
    import os

    if os.environ.get("SCLEROCELL_REQUIRE_POSTGRES") == "1":
        assert ON_POSTGRES
