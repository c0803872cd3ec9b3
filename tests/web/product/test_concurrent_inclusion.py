"""Concurrent inclusions never exceed the capacity, and never share a rank (PostgreSQL).

Each thread has its own connection and its own site; they meet on the row lock of the
study-wide inclusion counter. Capacity 3 by amendment, 6 recipients ready at once: exactly 3
are included, ranks 1–3, and the 3 others get the capacity message.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from sclerocell.web.accounts.models import Site
from sclerocell.web.accounts.roles import Role
from sclerocell.web.trial import actions
from sclerocell.web.trial.models import Enrolment, InclusionCounter, Participant
from tests.web.conftest import make_user
from tests.web.product import factories
from tests.web.trial.conftest import new_recipient

THREADS = 6
CAPACITY = 3
# The audit trail refuses TRUNCATE, so the flush after this test leaves the audit app out.
NO_AUDIT_FLUSH = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "sclerocell.web.accounts",
    "sclerocell.web.trial",
]


def include_concurrently(pairs: list[tuple[Participant, object]]) -> list[BaseException]:
    start = threading.Barrier(len(pairs))
    failures: list[BaseException] = []

    def include(recipient: Participant, by: object) -> None:
        try:
            start.wait()
            actions.enrol(recipient, by=by, date=factories.INCLUDED_ON)  # type: ignore[arg-type]
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=include, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, available_apps=NO_AUDIT_FLUSH)
def test_concurrent_inclusions_never_exceed_the_capacity() -> None:
    # One site per thread: locking a participant also locks its site row (FOR UPDATE over the
    # join), which would serialise same-site inclusions and hide a missing counter lock.
    sites = [Site.objects.create(number=i + 1, name=f"Site {i + 1}") for i in range(THREADS)]
    users = [make_user(f"inv{i}", Role.INVESTIGATOR, site) for i, site in enumerate(sites)]
    actions.record_protocol_amendment(
        by=users[0],
        version="v1-capacity-3",
        reference="test",
        approved_on=datetime.date(2014, 3, 1),
        effective_from=datetime.date(2014, 3, 1),
        recipients_max=CAPACITY,
    )
    pairs = []
    for site, user in zip(sites, users, strict=True):
        recipient, _donor = factories.ready_to_include(new_recipient(site, user), user)
        pairs.append((recipient, user))
    failures = include_concurrently(pairs)
    assert len(failures) == THREADS - CAPACITY
    assert all(isinstance(failure, ValidationError) for failure in failures)
    assert all("3" in str(failure) for failure in failures)
    ranks = sorted(Enrolment.objects.filter(kind="recipient").values_list("rank", flat=True))
    assert ranks == [1, 2, 3]
    assert Participant.objects.filter(inclusion_date__isnull=False).count() == CAPACITY
    assert InclusionCounter.objects.get(kind="recipient").last_rank == CAPACITY
