"""Each site's participants are its own, on every page and API operation — present and future.

The URL resolver and the OpenAPI schema are enumerated, so a page or an operation added later
is covered without editing this file, as long as it names its participant with one of the
PARTICIPANT_KWARGS and its other URL arguments appear in OTHER_KWARGS (the test fails and says
so otherwise).

- A site-B participant asked for by site-A staff: 404, for every page and API operation that
  takes a participant, whatever the method, and nothing is written.
- Lists, searches and exports (every page and API read without URL arguments) never show a
  site-B study code to site-A staff.
- Read-only roles (monitor, statistician, safety board) and the administrator cannot write:
  every write page and operation answers 403 (405 for a read-only page), and nothing is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sclerocell.web.audit.registry import REGISTRY
from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial, bearer, make_trial

# URL arguments that name a participant, and how to name the one under test.
PARTICIPANT_KWARGS: dict[str, Callable[[Any], Any]] = {
    "code": lambda p: p.code,
    "participant_code": lambda p: p.code,
    "participant": lambda p: p.code,
    "participant_id": lambda p: p.pk,
    "participant_pk": lambda p: p.pk,
    "ref": lambda p: p.code,  # the audit pages: a study code or a primary key
}
# Other URL arguments of participant pages: a row of the same participant's site.
OTHER_KWARGS: dict[str, Callable[[Trial, str], Any]] = {
    "consent_id": lambda t, site: (t.consent_a if site == "a" else t.consent_b).pk,
    # No visit, form or query in this data: pages check the participant, then the role, before
    # looking them up; tests/web/followup/test_site_isolation_of_follow_up.py sweeps real ones.
    "visit_id": lambda t, site: 0,
    "form": lambda t, site: "mrss",
    "query_id": lambda t, site: 0,
    # No event in this data: write pages refuse the role or the participant before the event is
    # looked up; tests/web/safety/test_site_isolation_of_events.py sweeps with real events.
    "event_id": lambda t, site: 0,
}
# Never swept: Django's admin (administrators only, no clinical model — tested below), the
# language switch and logout (they act on the session, not on trial data).
SKIPPED_NAMESPACES = {"admin", "api"}
SKIPPED_NAMES = {"set_language", "accounts:logout"}
# Pages where a read-only role may legitimately POST: they record an access, not trial data
# (an audit-trail export is itself logged), or a monitor's own work (raising a query).
READ_ONLY_MAY_POST: set[str] = {"audit:participant_csv"}
# Follow-up: a monitor verifies source data, raises, closes and reopens queries (swept by
# tests/web/followup/test_site_isolation_of_follow_up.py: nothing else is written).
READ_ONLY_MAY_POST |= {"followup:form_transition", "followup:raise_query", "followup:query_detail"}

WRITE_METHODS = ("post", "put", "patch", "delete")
SITE_A_STAFF = [
    "investigator_a",
    "nurse_a",
    "cell_therapy_a",
    "pharmacovigilance_a",
    "data_manager_a",
    "monitor_a",
]
READ_ONLY = ["monitor_a", "statistician", "safety_board"]
SEARCH = {"q": "02-", "code": "02-", "search": "02-", "stage": ""}


@pytest.fixture
def data(personas: Personas) -> Trial:
    """A recipient with a donor and a consent at each site."""
    return make_trial(personas)


# --- Enumeration -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    kwargs: frozenset[str]

    @property
    def takes_participant(self) -> bool:
        return bool(self.kwargs & PARTICIPANT_KWARGS.keys())


def _kwarg_names(pattern: Any) -> set[str]:
    converters = getattr(pattern, "converters", None)
    if converters is not None:
        return set(converters)
    regex = getattr(pattern, "regex", None)
    return set(regex.groupindex) if regex is not None else set()


def _walk(
    patterns: list[URLPattern | URLResolver], namespace: tuple[str, ...], kwargs: set[str]
) -> Iterator[Page]:
    for entry in patterns:
        names = kwargs | _kwarg_names(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace + ((entry.namespace,) if entry.namespace else ())
            if inner and inner[0] in SKIPPED_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, inner, names)
        elif entry.name:
            yield Page(":".join((*namespace, entry.name)), frozenset(names))


def pages() -> list[Page]:
    found = {page.name: page for page in _walk(get_resolver().url_patterns, (), set())}
    return [page for name, page in sorted(found.items()) if name not in SKIPPED_NAMES]


def page_url(page: Page, participant: Any, t: Trial, site: str) -> str:
    values = {}
    for name in page.kwargs:
        if name in PARTICIPANT_KWARGS:
            values[name] = PARTICIPANT_KWARGS[name](participant)
        elif name in OTHER_KWARGS:
            values[name] = OTHER_KWARGS[name](t, site)
        else:
            pytest.fail(f"{page.name}: add a value for its URL argument {name!r} to OTHER_KWARGS")
    return reverse(page.name, kwargs=values)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation: dict[str, Any]

    @property
    def path_params(self) -> set[str]:
        return set(re.findall(r"{(\w+)}", self.path))

    @property
    def takes_participant(self) -> bool:
        return bool(self.path_params & PARTICIPANT_KWARGS.keys())

    @property
    def name(self) -> str:
        return f"{self.method.upper()} {self.path}"


def openapi() -> dict[str, Any]:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def operations(schema: dict[str, Any]) -> list[Operation]:
    return [
        Operation(method, path, operation)
        for path, item in sorted(schema["paths"].items())
        for method, operation in item.items()
        if method in ("get", *WRITE_METHODS)
    ]


def operation_url(op: Operation, participant: Any, t: Trial, site: str) -> str:
    path = op.path
    for name in op.path_params:
        if name in PARTICIPANT_KWARGS:
            value = PARTICIPANT_KWARGS[name](participant)
        elif name in OTHER_KWARGS:
            value = OTHER_KWARGS[name](t, site)
        else:
            pytest.fail(f"{op.name}: add a value for its path parameter {name!r} to OTHER_KWARGS")
        path = path.replace("{" + name + "}", str(value))
    return path


def example_body(op: Operation, schema: dict[str, Any]) -> str | None:
    """A body built from the examples of the request schema (every field must have one)."""
    content = op.operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    body_schema = content["schema"]
    if "$ref" in body_schema:
        body_schema = schema["components"]["schemas"][body_schema["$ref"].rsplit("/", 1)[-1]]
    body = {}
    for name, prop in body_schema.get("properties", {}).items():
        if prop.get("examples"):
            body[name] = prop["examples"][0]
        elif name in body_schema.get("required", []):
            pytest.fail(f"{op.name}: give the field {name!r} of its body an example")
    return json.dumps(body)


# --- What was written --------------------------------------------------------------------------


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every audited table and of the trial app."""
    models = {spec.model for spec in REGISTRY.values()}
    models |= set(apps.get_app_config("trial").get_models())
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in sorted(models, key=lambda m: m._meta.label)
    }


def call_page(client: Client, method: str, url: str) -> int:
    return int(getattr(client, method)(url).status_code)


def call_api(
    client: Client, op: Operation, url: str, body: str | None, headers: dict[str, str]
) -> int:
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None:
        kwargs.update(data=body, content_type="application/json")
    return int(getattr(client, op.method)(url, **kwargs).status_code)


# --- Another site's participant: 404 -----------------------------------------------------------


def test_the_sweep_finds_the_participant_pages_and_operations(db: None) -> None:
    names = {page.name for page in pages() if page.takes_participant}
    assert {"trial:participant_detail", "trial:edit_participant", "trial:withdraw_consent"} <= names
    paths = {op.path for op in operations(openapi()) if op.takes_participant}
    assert "/api/participants/{code}" in paths


def test_every_page_taking_a_participant_answers_404_for_another_sites_participant(
    data: Trial, personas: Personas
) -> None:
    client = personas.client(personas.investigator_a)
    before = snapshot()
    for page in (p for p in pages() if p.takes_participant):
        for participant in (data.recipient_b, data.donor_b):
            url = page_url(page, participant, data, "b")
            statuses = {method: call_page(client, method, url) for method in ("get", "post")}
            assert set(statuses.values()) <= {404, 405}, (page.name, url, statuses)
            assert 404 in statuses.values(), (page.name, url, statuses)
    assert snapshot() == before


@pytest.mark.parametrize("persona", SITE_A_STAFF)
def test_no_site_a_role_gets_anything_from_another_sites_participant_page(
    data: Trial, personas: Personas, persona: str
) -> None:
    """403 when the role lacks the permission anyway (checked first), else 404; never data."""
    client = personas.client(getattr(personas, persona))
    before = snapshot()
    for page in (p for p in pages() if p.takes_participant):
        url = page_url(page, data.recipient_b, data, "b")
        for method in ("get", "post"):
            status = call_page(client, method, url)
            assert status in {403, 404, 405}, (page.name, method, url, status)
    assert snapshot() == before


def test_every_api_operation_taking_a_participant_answers_404_for_another_sites_participant(
    data: Trial, personas: Personas
) -> None:
    schema = openapi()
    client, headers = Client(), bearer(personas.investigator_a)
    before = snapshot()
    for op in (o for o in operations(schema) if o.takes_participant):
        for participant in (data.recipient_b, data.donor_b):
            url = operation_url(op, participant, data, "b")
            status = call_api(client, op, url, example_body(op, schema), headers)
            assert status == 404, (op.name, url, status)
    assert snapshot() == before


# --- Lists, searches, exports: no site-B code --------------------------------------------------


def _site_b_codes(data: Trial) -> list[str]:
    return [data.recipient_b.code, data.donor_b.code]


@pytest.mark.parametrize("persona", SITE_A_STAFF)
def test_no_page_shows_a_site_b_code_to_site_a_staff(
    data: Trial, personas: Personas, persona: str
) -> None:
    client = personas.client(getattr(personas, persona))
    for page in (p for p in pages() if not p.kwargs):
        for query in ({}, SEARCH):
            response = client.get(reverse(page.name), query)
            body = b"".join(response) if response.streaming else response.content
            text = body.decode(errors="replace")
            leaked = [code for code in _site_b_codes(data) if code in text]
            assert not leaked, (page.name, query, leaked)


@pytest.mark.parametrize("persona", SITE_A_STAFF)
def test_no_api_read_shows_a_site_b_code_to_site_a_staff(
    data: Trial, personas: Personas, persona: str
) -> None:
    client, headers = Client(), bearer(getattr(personas, persona), read_only=True)
    for op in operations(openapi()):
        if op.method != "get" or op.path_params or op.path.endswith("openapi.json"):
            continue
        for query in ({}, SEARCH):
            response = client.get(op.path, query, headers=headers)
            leaked = [code for code in _site_b_codes(data) if code in response.content.decode()]
            assert not leaked, (op.name, query, leaked)


def test_the_lists_do_show_the_users_own_site(data: Trial, personas: Personas) -> None:
    """The sweep above is not vacuous: the same pages show site A's codes."""
    client = personas.client(personas.investigator_a)
    assert data.recipient_a.code in client.get(reverse("trial:recipient_list")).content.decode()
    api = Client().get("/api/participants", headers=bearer(personas.investigator_a))
    assert data.recipient_a.code in api.content.decode()


# --- Read-only roles and the administrator cannot write ----------------------------------------


@pytest.mark.parametrize("persona", [*READ_ONLY, "admin"])
def test_read_only_roles_and_the_administrator_cannot_write_on_any_page(
    data: Trial, personas: Personas, persona: str
) -> None:
    client = personas.client(getattr(personas, persona))
    before = snapshot()
    for page in pages():
        if page.name in READ_ONLY_MAY_POST or not (
            page.takes_participant or page.name.startswith("trial:")
        ):
            continue
        for participant in (data.recipient_a, data.donor_a):
            url = page_url(page, participant, data, "a")
            status = call_page(client, "post", url)
            assert status in {403, 405}, (page.name, url, status)
            if status == 405:
                # A read-only page: it must not offer a form either.
                assert call_page(client, "get", url) in {200, 403}, (page.name, url)
    assert snapshot() == before


@pytest.mark.parametrize("persona", [*READ_ONLY, "admin"])
def test_read_only_roles_and_the_administrator_cannot_write_through_the_api(
    data: Trial, personas: Personas, persona: str
) -> None:
    schema = openapi()
    client, headers = Client(), bearer(getattr(personas, persona), read_only=False)
    before = snapshot()
    for op in operations(schema):
        if op.method not in WRITE_METHODS or op.name in READ_ONLY_MAY_POST:
            continue
        if op.path_params and not op.takes_participant:
            continue  # not about a participant (e.g. the caller's own API token)
        url = operation_url(op, data.recipient_a, data, "a")
        status = call_api(client, op, url, example_body(op, schema), headers)
        assert status == 403, (op.name, url, status)
    assert snapshot() == before


def test_the_administrators_admin_site_holds_no_clinical_model() -> None:
    clinical = {"trial"}
    registered = {model._meta.app_label for model in admin.site._registry}
    assert not registered & clinical
