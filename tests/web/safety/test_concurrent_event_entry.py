"""Adverse events entered at the same time for one participant never share a number.

The threads meet on the participant's row lock (PostgreSQL). On SQLite the application's
``BEGIN IMMEDIATE`` serialises writers, and the unique constraint (participant, number) holds
on both engines.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from sclerocell.web.accounts.models import Site
from sclerocell.web.accounts.roles import Role
from sclerocell.web.safety.models import AdverseEvent
from tests.web.safety.conftest import event, infuse
from tests.web.trial.conftest import new_recipient

THREADS = 6
PER_THREAD = 3
# The audit trail refuses TRUNCATE, so the flush after this test leaves the audit app out.
NO_AUDIT_FLUSH = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "sclerocell.web.accounts",
    "sclerocell.web.trial",
    "sclerocell.web.safety",
]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, available_apps=NO_AUDIT_FLUSH)
def test_concurrent_entries_for_one_participant_get_distinct_numbers() -> None:
    from tests.web.conftest import make_user

    site = Site.objects.create(number=1, name="Hôpital Saint-Louis")
    nurses = [make_user(f"nurse{i}", Role.RESEARCH_NURSE, site) for i in range(THREADS)]
    recipient = infuse(new_recipient(site, nurses[0]))
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def enter(nurse: object) -> None:
        try:
            start.wait()
            for _ in range(PER_THREAD):
                event(recipient, nurse)  # type: ignore[arg-type]
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enter, args=(nurse,)) for nurse in nurses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    numbers = sorted(AdverseEvent.objects.values_list("number", flat=True))
    assert numbers == list(range(1, THREADS * PER_THREAD + 1))
