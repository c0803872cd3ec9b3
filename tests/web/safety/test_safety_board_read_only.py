"""The safety board reads every safety page and operation, and writes nothing."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.web import test_site_isolation as sweep
from tests.web.conftest import Personas
from tests.web.safety.conftest import Safety
from tests.web.trial.conftest import bearer

READ_PAGES = ["safety:overview", "safety:clocks", "safety:malignancies", "safety:stopping_rule"]
READ_OPERATIONS = ["/api/safety/clocks", "/api/safety/malignancies", "/api/safety/stopping-rule"]


def test_it_reads_every_safety_page(safety: Safety, personas: Personas) -> None:
    client = personas.client(personas.safety_board)
    for name in READ_PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    events = reverse("safety:participant_events", args=[safety.recipient_a.code])
    assert client.get(events).status_code == 200


def test_it_reads_through_the_api(safety: Safety, personas: Personas) -> None:
    headers = bearer(personas.safety_board, read_only=True)
    for path in [*READ_OPERATIONS, f"/api/participants/{safety.recipient_a.code}/adverse-events"]:
        assert Client().get(path, headers=headers).status_code == 200, path


def test_it_cannot_write_on_any_safety_page_or_operation(
    safety: Safety, personas: Personas
) -> None:
    client = personas.client(personas.safety_board)
    before = sweep.snapshot()
    for page in sweep.pages():
        if not page.name.startswith("safety:"):
            continue
        url = reverse(
            page.name,
            kwargs={
                k: safety.recipient_a.code if k == "code" else safety.event_a.pk
                for k in page.kwargs
            },
        )
        assert sweep.call_page(client, "post", url) in {403, 405}, page.name
    schema = sweep.openapi()
    headers = bearer(personas.safety_board, read_only=False)
    for op in sweep.operations(schema):
        if op.method == "get" or "adverse-events" not in op.path:
            continue
        path = op.path.replace("{code}", safety.recipient_a.code).replace(
            "{event_id}", str(safety.event_a.pk)
        )
        status = sweep.call_api(Client(), op, path, sweep.example_body(op, schema), headers)
        assert status == 403, op.name
    assert sweep.snapshot() == before
