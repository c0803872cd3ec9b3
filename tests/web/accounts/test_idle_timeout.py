"""The session ends after SESSION_COOKIE_AGE seconds without a request, not after a fixed time."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from tests.web.accounts.helpers import clock_moved, log_in
from tests.web.conftest import Personas


def test_the_session_cookie_dies_with_the_browser(personas: Personas) -> None:
    client = Client()
    log_in(client, "nurse_a")
    response = client.get("/fr/")
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"


def test_an_idle_session_expires(personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_AGE = 15 * 60
    client = Client()
    log_in(client, "nurse_a")
    with clock_moved(timedelta(minutes=16)):
        response = client.get("/fr/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/")


def test_activity_keeps_the_session_alive_past_the_timeout(personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_AGE = 15 * 60
    client = Client()
    log_in(client, "nurse_a")
    for minutes in (10, 20, 30, 40):  # 40 minutes in all, never 15 idle
        with clock_moved(timedelta(minutes=minutes)):
            assert client.get("/fr/").status_code == 200
    with clock_moved(timedelta(minutes=40 + 16)):
        assert client.get("/fr/").status_code == 302


def test_the_session_lives_until_the_last_idle_second(personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_AGE = 15 * 60
    client = Client()
    log_in(client, "nurse_a")
    with clock_moved(timedelta(minutes=14, seconds=50)):
        assert client.get("/fr/").status_code == 200
