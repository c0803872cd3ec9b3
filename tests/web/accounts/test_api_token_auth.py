"""TokenAuth itself: what a read-only token may do, and what is stored of a token."""

from __future__ import annotations

import hashlib

import pytest
from django.http import HttpRequest
from django.test import RequestFactory
from ninja.errors import AuthorizationError, HttpError

from sclerocell.web.accounts.actions import issue_token
from sclerocell.web.accounts.api_auth import TokenAuth, require_permission
from sclerocell.web.accounts.models import ApiToken
from sclerocell.web.accounts.roles import Permission
from tests.web.conftest import Personas


def request(method: str, raw: str) -> HttpRequest:
    return RequestFactory().generic(method, "/api/anything", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_it_returns_the_owner_and_sets_request_user(personas: Personas) -> None:
    _, raw = issue_token(personas.nurse_a, name="script")
    req = request("GET", raw)
    assert TokenAuth()(req) == personas.nurse_a
    assert req.user == personas.nurse_a


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_read_only_token_is_refused_on_a_writing_method(personas: Personas, method: str) -> None:
    _, raw = issue_token(personas.nurse_a, name="script", read_only=True)
    with pytest.raises(AuthorizationError):
        TokenAuth()(request(method, raw))


def test_a_read_write_token_may_post(personas: Personas) -> None:
    _, raw = issue_token(personas.nurse_a, name="script", read_only=False)
    assert TokenAuth()(request("POST", raw)) == personas.nurse_a


def test_the_token_is_never_stored_in_clear(personas: Personas) -> None:
    token, raw = issue_token(personas.nurse_a, name="script")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(raw not in str(value) for value in stored.values())
    secret = raw.split("_", 2)[2]
    assert all(secret not in str(value) for value in stored.values())
    assert stored["digest"] == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(f"scl_{stored['prefix']}_")


def test_two_tokens_differ(personas: Personas) -> None:
    _, first = issue_token(personas.nurse_a, name="a")
    _, second = issue_token(personas.nurse_a, name="b")
    assert first != second
    assert len(first) > 40


def test_require_permission_follows_the_role(personas: Personas) -> None:
    _, raw = issue_token(personas.monitor_a, name="script", read_only=False)
    req = request("GET", raw)
    req.auth = TokenAuth()(req)  # type: ignore[attr-defined]
    require_permission(req, Permission.VERIFY_SOURCE_DATA)
    with pytest.raises(HttpError) as refusal:
        require_permission(req, Permission.ENROL_SUBJECT)
    assert refusal.value.status_code == 403


def test_require_permission_refuses_a_write_to_a_read_only_token(personas: Personas) -> None:
    _, raw = issue_token(personas.investigator_a, name="script", read_only=True)
    req = request("GET", raw)
    req.auth = TokenAuth()(req)  # type: ignore[attr-defined]
    require_permission(req, Permission.VIEW_SUBJECTS)
    with pytest.raises(HttpError):
        require_permission(req, Permission.ENROL_SUBJECT)
