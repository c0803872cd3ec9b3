"""The site-isolation sweep of tests/web/test_site_isolation.py, with real adverse events.

That sweep has no event in its data; here each site has a serious event, and every page and API
operation that takes a participant and an event is called with the other site's participant and
with the own participant but the other site's event: always 404, and nothing is written.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web import test_site_isolation as sweep
from tests.web.conftest import Personas
from tests.web.safety.conftest import Safety


@pytest.fixture
def data(safety: Safety, monkeypatch: pytest.MonkeyPatch) -> Safety:
    def event_id(trial: object, site: str) -> int:
        return (safety.event_a if site == "a" else safety.event_b).pk

    monkeypatch.setitem(sweep.OTHER_KWARGS, "event_id", event_id)
    return safety


def event_pages() -> list[sweep.Page]:
    return [page for page in sweep.pages() if "event_id" in page.kwargs]


def event_operations() -> list[sweep.Operation]:
    return [op for op in sweep.operations(sweep.openapi()) if "event_id" in op.path_params]


def test_there_are_event_pages_and_operations_to_sweep(db: None) -> None:
    assert {p.name for p in event_pages()} >= {"safety:edit_event", "safety:record_report"}
    assert len(event_operations()) >= 4


@pytest.mark.parametrize("persona", ["investigator_a", "pharmacovigilance_a", "nurse_a"])
def test_another_sites_event_is_not_found_on_any_page(
    data: Safety, personas: Personas, persona: str
) -> None:
    client = personas.client(getattr(personas, persona))
    before = sweep.snapshot()
    for page in event_pages():
        own_code_other_event = sweep.page_url(page, data.recipient_a, data.trial, "b")
        other_site = sweep.page_url(page, data.recipient_b, data.trial, "b")
        for url in (own_code_other_event, other_site):
            for method in ("get", "post"):
                status = sweep.call_page(client, method, url)
                assert status in {403, 404}, (page.name, method, url, status)
    assert sweep.snapshot() == before


def test_the_own_event_is_found_by_its_site(data: Safety, personas: Personas) -> None:
    client = personas.client(personas.pharmacovigilance_a)
    for page in event_pages():
        url = sweep.page_url(page, data.recipient_a, data.trial, "a")
        assert sweep.call_page(client, "get", url) == 200, page.name


def test_another_sites_event_is_not_found_through_the_api(data: Safety, personas: Personas) -> None:
    schema = sweep.openapi()
    from tests.web.trial.conftest import bearer

    headers = bearer(personas.pharmacovigilance_a)
    before = sweep.snapshot()
    for op in event_operations():
        for participant in (data.recipient_a, data.recipient_b):
            url = sweep.operation_url(op, participant, data.trial, "b")
            status = sweep.call_api(Client(), op, url, sweep.example_body(op, schema), headers)
            assert status == 404, (op.name, url, status)
    assert sweep.snapshot() == before
