"""Every follow-up page and operation, swept with real visits, forms and queries at both sites.

(tests/web/test_site_isolation.py sweeps every page without follow-up rows; this file adds the
rows, so a visit, form or query of site B is asked for by site A's staff, and under a site-A
participant's code.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import get_resolver, reverse

from sclerocell.web.accounts.roles import Role
from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.followup import actions
from sclerocell.web.followup.models import Query, Visit
from tests.web.conftest import Personas, make_user
from tests.web.followup.conftest import VITALS, FollowUp, enter
from tests.web.test_site_isolation import Page, _walk
from tests.web.trial.conftest import bearer

SITE_A_STAFF = [
    "investigator_a",
    "nurse_a",
    "cell_therapy_a",
    "pharmacovigilance_a",
    "data_manager_a",
    "monitor_a",
]
READ_ONLY = ["monitor_a", "statistician", "safety_board", "admin"]
# What a monitor may post: verification, and the work on queries.
MONITOR_POSTS = {"followup:form_transition", "followup:raise_query", "followup:query_detail"}


@dataclass
class Rows:
    code: str
    visit: Visit
    query: Query


@pytest.fixture
def sites(followup: FollowUp, personas: Personas) -> dict[str, Rows]:
    monitor_b = make_user("monitor_b", Role.MONITOR, personas.site_b)
    rows = {}
    for site, recipient, visit, nurse, monitor in (
        ("a", followup.recipient_a, followup.baseline_a, personas.nurse_a, personas.monitor_a),
        ("b", followup.recipient_b, followup.baseline_b, personas.investigator_b, monitor_b),
    ):
        enter(visit, "vitals", nurse, **VITALS)
        query = actions.raise_query(recipient, by=monitor, text="?", visit=visit, form="vitals")
        rows[site] = Rows(recipient.code, visit, query)
    return rows


def pages() -> list[Page]:
    found = {p.name: p for p in _walk(get_resolver().url_patterns, (), set())}
    return [page for name, page in sorted(found.items()) if name.startswith("followup:")]


def url(page: Page, code: str, rows: Rows) -> str:
    values = {"code": code, "visit_id": rows.visit.pk, "form": "vitals", "query_id": rows.query.pk}
    return reverse(page.name, kwargs={k: values[k] for k in page.kwargs})


def snapshot() -> dict[str, Any]:
    models = list(apps.get_app_config("followup").get_models())
    state: dict[str, Any] = {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}
    state["audit"] = AuditEvent.objects.count()
    return state


def test_the_sweep_covers_every_follow_up_page(db: None) -> None:
    assert {p.name for p in pages()} >= {
        "followup:form",
        "followup:query_detail",
        "followup:calendar",
    }


@pytest.mark.parametrize("persona", SITE_A_STAFF)
def test_site_a_staff_get_nothing_of_site_bs_follow_up(
    sites: dict[str, Rows], personas: Personas, persona: str
) -> None:
    client = personas.client(getattr(personas, persona))
    before = snapshot()
    for page in (p for p in pages() if p.takes_participant):
        target = url(page, sites["b"].code, sites["b"])
        for method in ("get", "post"):
            status = getattr(client, method)(target).status_code
            allowed = {404, 405} if persona == "investigator_a" else {403, 404, 405}
            assert status in allowed, (page.name, method, status)
    assert snapshot() == before


def test_site_bs_rows_under_a_site_a_code_are_404(
    sites: dict[str, Rows], personas: Personas
) -> None:
    client = personas.client(personas.investigator_a)
    for page in pages():
        if not page.kwargs & {"visit_id", "query_id"}:
            continue
        assert client.get(url(page, sites["a"].code, sites["b"])).status_code in {404, 405}, (
            page.name
        )


@pytest.mark.parametrize("persona", READ_ONLY)
def test_read_only_roles_write_nothing_on_any_follow_up_page(
    sites: dict[str, Rows], personas: Personas, persona: str
) -> None:
    client = personas.client(getattr(personas, persona))
    before = snapshot()
    for page in (p for p in pages() if p.takes_participant):
        status = client.post(url(page, sites["a"].code, sites["a"])).status_code
        if persona == "monitor_a" and page.name in MONITOR_POSTS:
            assert status == 400, (page.name, status)  # an empty post: nothing to do
        else:
            assert status in {403, 405}, (page.name, status)
    assert snapshot() == before


def test_the_api_refuses_site_bs_rows_under_a_site_a_code(
    sites: dict[str, Rows], personas: Personas
) -> None:
    a, b = sites["a"], sites["b"]
    headers = bearer(personas.investigator_a)
    client = Client()
    assert (
        client.get(
            f"/api/participants/{a.code}/visits/{b.visit.pk}/forms/vitals", headers=headers
        ).status_code
        == 404
    )
    response = client.post(
        f"/api/participants/{a.code}/queries/{b.query.pk}/answer",
        '{"text": "x"}',
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 404
