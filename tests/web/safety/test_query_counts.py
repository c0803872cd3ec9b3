"""The busiest safety pages need the same number of queries for 2 events as for 12."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.web.conftest import Personas
from tests.web.safety.conftest import FEVER, Safety, event, serious


def queries(client: object, url: str) -> int:
    client.get(url)  # type: ignore[attr-defined]  # warm the session and the badge
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200  # type: ignore[attr-defined]
    return len(captured)


def add_events(safety: Safety, personas: Personas) -> None:
    for _ in range(5):
        serious(safety.recipient_a, personas.investigator_a, expectedness="expected")
        event(safety.recipient_a, personas.nurse_a, meddra_code=FEVER, grade=3)


def test_the_pages_do_not_grow_with_the_events(safety: Safety, personas: Personas) -> None:
    client = personas.client(personas.pharmacovigilance_a)
    urls = [
        reverse("safety:participant_events", args=[safety.recipient_a.code]),
        reverse("safety:clocks"),
        reverse("safety:overview"),
        reverse("safety:malignancies"),
        reverse("safety:stopping_rule"),
    ]
    few = {url: queries(client, url) for url in urls}
    add_events(safety, personas)
    many = {url: queries(client, url) for url in urls}
    assert many == few
    assert max(few.values()) <= 14
