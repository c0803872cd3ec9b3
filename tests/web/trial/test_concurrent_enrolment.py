"""Concurrent registrations never share a study code (separate connections, one per thread).

On PostgreSQL the threads meet on the row lock of the site's counter. On SQLite the same check
runs in a child process against a file database configured like the application's (WAL, busy
timeout, BEGIN IMMEDIATE): the test run's shared in-memory database locks whole tables instead
of waiting, which says nothing about the application.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connections

from sclerocell.web.accounts.models import Site
from sclerocell.web.accounts.roles import Role
from sclerocell.web.trial import actions, studycode
from sclerocell.web.trial.models import Participant

THREADS = 8
PER_THREAD = 3
ROOT = Path(__file__).resolve().parents[3]

# The audit trail refuses TRUNCATE, so the flush after this test leaves the audit app out.
NO_AUDIT_FLUSH = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "sclerocell.web.accounts",
    "sclerocell.web.trial",
]


def register_concurrently(site: Site, users: list[object]) -> list[BaseException]:
    """Each user registers PER_THREAD recipients in its own thread; returns the failures."""
    start = threading.Barrier(len(users))
    failures: list[BaseException] = []

    def register(user: object) -> None:
        try:
            start.wait()
            for _ in range(PER_THREAD):
                actions.register_recipient(
                    site,
                    by=user,  # type: ignore[arg-type]
                    birth_year=1970,
                    birth_month=1,
                    sex="F",
                    screening_date=datetime.date(2015, 1, 5),
                )
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def assert_codes_distinct_and_consecutive() -> None:
    codes = list(Participant.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == THREADS * PER_THREAD
    sequences = sorted(studycode.parse(code).sequence for code in codes)
    assert sequences == list(range(1, THREADS * PER_THREAD + 1))


def make_site_and_users() -> tuple[Site, list[object]]:
    from tests.web.conftest import make_user

    site = Site.objects.create(number=1, name="Hôpital Saint-Louis")
    return site, [make_user(f"inv{i}", Role.INVESTIGATOR, site) for i in range(THREADS)]


@pytest.mark.postgres  # the SQLite variant below runs in a child process
@pytest.mark.django_db(transaction=True, available_apps=NO_AUDIT_FLUSH)
def test_concurrent_registrations_on_postgresql_never_share_a_code() -> None:
    site, users = make_site_and_users()
    assert register_concurrently(site, users) == []
    assert_codes_distinct_and_consecutive()


@pytest.mark.sqlite
def test_concurrent_registrations_on_sqlite_never_share_a_code(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(SCLEROCELL_DATA_DIR=str(tmp_path), SCLEROCELL_REQUIRE_POSTGRES="0")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    completed = subprocess.run(
        [sys.executable, "-m", "tests.web.trial.concurrent_sqlite"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.strip().endswith("ok")
