"""The page where a user creates and revokes their own API tokens."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sclerocell.web.accounts.actions import issue_token
from sclerocell.web.accounts.models import ApiToken
from tests.web.conftest import Personas

PAGE = "/fr/accounts/tokens/"


def test_it_creates_a_token_and_shows_it_once(personas: Personas) -> None:
    client = personas.client(personas.nurse_a)
    response = client.post(PAGE, {"name": "export", "expires_in": "90", "read_only": "on"})
    page = response.content.decode()
    raw = re.search(r"<code>(scl_[0-9a-f]{8}_[\w-]+)</code>", page)
    assert raw is not None
    assert "Copiez-le maintenant" in page
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=personas.nurse_a)
    assert token.read_only
    assert token.expires_at is not None
    assert raw.group(1) not in client.get(PAGE).content.decode()
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw.group(1)}").status_code == 200


def test_a_token_without_expiry_can_be_chosen(personas: Personas) -> None:
    client = personas.client(personas.nurse_a)
    client.post(PAGE, {"name": "forever", "expires_in": ""})
    token = ApiToken.objects.get(user=personas.nurse_a)
    assert token.expires_at is None
    assert not token.read_only  # the box was left unticked


def test_a_token_without_a_name_is_refused_at_the_field(personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(PAGE, {"name": "", "read_only": "on"})
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_lists_only_the_users_own_tokens(personas: Personas) -> None:
    issue_token(personas.nurse_a, name="mine")
    issue_token(personas.monitor_a, name="theirs")
    page = personas.client(personas.nurse_a).get(PAGE).content.decode()
    assert "mine" in page
    assert "theirs" not in page


def test_it_revokes_an_own_token(personas: Personas) -> None:
    token, raw = issue_token(personas.nurse_a, name="mine")
    client = personas.client(personas.nurse_a)
    response = client.post(f"/fr/accounts/tokens/{token.pk}/revoke/", follow=True)
    assert "Le jeton « mine » est révoqué." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_another_users_token_does_not_exist_for_the_caller(personas: Personas) -> None:
    token, _ = issue_token(personas.monitor_a, name="theirs")
    response = personas.client(personas.nurse_a).post(f"/fr/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_a_post(personas: Personas) -> None:
    token, _ = issue_token(personas.nurse_a, name="mine")
    response = personas.client(personas.nurse_a).get(f"/fr/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 405


def test_an_anonymous_visitor_is_sent_to_login(client: Client, db: None) -> None:
    response = client.get(PAGE)
    assert response["Location"].startswith("/fr/accounts/login/")


def test_every_role_may_hold_tokens(personas: Personas) -> None:
    for user in personas.all_users():
        assert personas.client(user).get(PAGE).status_code == 200


def test_the_page_costs_the_same_queries_for_one_token_or_many(personas: Personas) -> None:
    client = personas.client(personas.nurse_a)
    issue_token(personas.nurse_a, name="first")
    with CaptureQueriesContext(connection) as one:
        client.get(PAGE)
    for number in range(10):
        issue_token(personas.nurse_a, name=f"more {number}")
    with CaptureQueriesContext(connection) as many:
        client.get(PAGE)
    assert len(many) == len(one)
