"""Concurrent writers on PostgreSQL still append to one linear chain.

Each thread has its own connection and commits its own transactions; the trigger takes the
chain's advisory lock before reading the last event, so no two events share a predecessor.
(SQLite admits one writer at a time: there is nothing to race.)
"""

from __future__ import annotations

import itertools
import threading

import pytest
from django.db import connections

from sclerocell.web.accounts.models import Site
from sclerocell.web.audit.context import audit_scope
from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.audit.verify import verify

from .conftest import last_seq

THREADS = 4
WRITES = 15


@pytest.mark.postgres  # SQLite serialises writers
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_a_linear_chain() -> None:
    sites = [Site.objects.create(number=95 + n, name=f"S{n}") for n in range(THREADS)]
    start = last_seq()
    barrier = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def write(site: Site) -> None:
        try:
            barrier.wait()
            for n in range(WRITES):
                with audit_scope(by=None, reason="load", action="concurrent_write"):
                    Site.objects.filter(pk=site.pk).update(city=f"city {n}")
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(site,)) for site in sites]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    events = list(AuditEvent.objects.filter(seq__gt=start).order_by("seq"))
    assert [e.seq for e in events] == list(range(start + 1, start + 1 + THREADS * WRITES))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events)
    assert len({e.row_pk for e in events}) == THREADS
    assert verify().ok
