"""GET /api/me: the caller's username, role and sites, for a valid bearer token only."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sclerocell.web.accounts.actions import issue_token, revoke_token
from tests.web.conftest import Personas


def get_me(token: str) -> object:
    return Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_read_only_token_of_a_monitor_reads_its_account(personas: Personas) -> None:
    _, raw = issue_token(personas.monitor_a, name="sdv script")
    response = get_me(raw)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.json() == {  # type: ignore[attr-defined]
        "username": "monitor_a",
        "role": "monitor",
        "role_label": "Moniteur (ARC)",
        "sites": [1],
        "read_only_token": True,
    }


def test_it_lists_every_site_of_the_caller(personas: Personas) -> None:
    _, raw = issue_token(personas.statistician, name="exports")
    assert get_me(raw).json()["sites"] == [1, 2]  # type: ignore[attr-defined]


def test_without_a_token_it_answers_401(db: None) -> None:
    assert Client().get("/api/me").status_code == 401


def test_a_session_does_not_replace_the_token(personas: Personas) -> None:
    assert personas.client(personas.monitor_a).get("/api/me").status_code == 401


def test_a_revoked_token_answers_401(personas: Personas) -> None:
    token, raw = issue_token(personas.monitor_a, name="old")
    revoke_token(token, by=personas.monitor_a)
    assert get_me(raw).status_code == 401  # type: ignore[attr-defined]


def test_an_expired_token_answers_401(personas: Personas) -> None:
    _, raw = issue_token(
        personas.monitor_a, name="short", expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert get_me(raw).status_code == 401  # type: ignore[attr-defined]


def test_a_token_before_its_expiry_works(personas: Personas) -> None:
    _, raw = issue_token(
        personas.monitor_a, name="short", expires_at=timezone.now() + timedelta(minutes=5)
    )
    assert get_me(raw).status_code == 200  # type: ignore[attr-defined]


def test_the_token_of_a_deactivated_user_answers_401(personas: Personas) -> None:
    _, raw = issue_token(personas.monitor_a, name="script")
    personas.monitor_a.is_active = False
    personas.monitor_a.save()
    assert get_me(raw).status_code == 401  # type: ignore[attr-defined]


def test_the_token_of_a_locked_out_user_answers_401(personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 2
    _, raw = issue_token(personas.monitor_a, name="script")
    for _attempt in range(2):
        Client().post("/fr/accounts/login/", {"username": "monitor_a", "password": "wrong"})
    assert get_me(raw).status_code == 401  # type: ignore[attr-defined]


def test_a_tampered_token_answers_401(personas: Personas) -> None:
    _, raw = issue_token(personas.monitor_a, name="script")
    tampered = raw[:-2] + ("AA" if not raw.endswith("AA") else "BB")
    assert get_me(tampered).status_code == 401  # type: ignore[attr-defined]


def test_a_token_of_another_shape_answers_401(personas: Personas) -> None:
    for junk in ["", "scl_", "scl_zz_x", "Basic abc", "a" * 500]:
        assert get_me(junk).status_code == 401  # type: ignore[attr-defined]


def test_a_use_is_recorded(personas: Personas) -> None:
    token, raw = issue_token(personas.monitor_a, name="script")
    get_me(raw)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_authenticated_call_costs_three_queries(personas: Personas) -> None:
    # token (with its user), lockout count, sites; the last-used stamp is written once a minute
    _, raw = issue_token(personas.statistician, name="script")
    get_me(raw)
    with CaptureQueriesContext(connection) as queries:
        assert get_me(raw).status_code == 200  # type: ignore[attr-defined]
    assert len(queries) == 3
