"""`sclerocell issue-token USERNAME`: prints a new API token once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from sclerocell.web.accounts.models import ApiToken
from tests.web.conftest import Personas


def issue(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_it_prints_a_working_read_only_token(personas: Personas) -> None:
    raw, note = issue("statistician", "--name", "nightly export")
    token = ApiToken.objects.get(user=personas.statistician)
    assert token.name == "nightly export"
    assert token.read_only
    assert token.expires_at is None
    assert "read-only token" in note
    assert raw not in note
    response = Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.json()["username"] == "statistician"


def test_it_issues_a_read_write_token_with_an_expiry(personas: Personas) -> None:
    issue("data_manager_a", "--read-write", "--expires-days", "30")
    token = ApiToken.objects.get(user=personas.data_manager_a)
    assert not token.read_only
    assert token.expires_at is not None


def test_it_refuses_an_unknown_user(db: None) -> None:
    with pytest.raises(CommandError, match="no user 'ghost'"):
        issue("ghost")


def test_it_refuses_an_inactive_user(personas: Personas) -> None:
    personas.monitor_a.is_active = False
    personas.monitor_a.save()
    with pytest.raises(CommandError, match="inactive"):
        issue("monitor_a")


def test_it_refuses_a_zero_day_expiry(personas: Personas) -> None:
    with pytest.raises(CommandError, match="--expires-days"):
        issue("monitor_a", "--expires-days", "0")
