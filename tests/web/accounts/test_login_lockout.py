"""Lockout after AXES_FAILURE_LIMIT failed logins for one username, and not before."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client

from tests.web.accounts.helpers import log_in
from tests.web.conftest import Personas

WRONG = "not-the-password"


def fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        log_in(client, username, password=WRONG)


def test_it_still_lets_the_right_password_in_one_failure_before_the_limit(
    personas: Personas, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    fail(client, "nurse_a", 2)
    response = log_in(client, "nurse_a")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_it_locks_the_account_at_the_limit_even_with_the_right_password(
    personas: Personas, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    fail(client, "nurse_a", 3)
    response = log_in(client, "nurse_a")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_locked_page_says_when_to_retry_and_whom_to_ask_in_french(
    personas: Personas, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    client = Client()
    fail(client, "nurse_a", 1)
    response = log_in(client, "nurse_a", password=WRONG)
    page = response.content.decode()
    assert response.status_code == 429
    assert "Compte verrouillé" in page
    assert "Réessayez dans 30 minutes" in page
    assert "administrateur" in page


def test_the_locked_page_speaks_english_on_the_english_site(personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 1
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    response = Client().post("/en/accounts/login/", {"username": "nurse_a", "password": WRONG})
    page = response.content.decode()
    assert "Account locked" in page
    assert "Try again in 1 minute." in page
    assert "contact the administrator" in page


def test_it_locks_only_the_username_that_failed(personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    fail(client, "nurse_a", 2)
    assert log_in(client, "monitor_a").status_code == 302


def test_it_counts_failures_across_browsers_and_addresses(personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 2
    Client(HTTP_USER_AGENT="one", REMOTE_ADDR="10.0.0.1").post(
        "/fr/accounts/login/", {"username": "nurse_a", "password": WRONG}
    )
    Client(HTTP_USER_AGENT="two", REMOTE_ADDR="10.0.0.2").post(
        "/fr/accounts/login/", {"username": "nurse_a", "password": WRONG}
    )
    assert log_in(Client(HTTP_USER_AGENT="three"), "nurse_a").status_code == 429


def test_a_successful_login_resets_the_count(personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    fail(Client(), "nurse_a", 2)
    assert log_in(Client(), "nurse_a").status_code == 302
    fail(Client(), "nurse_a", 2)
    assert log_in(Client(), "nurse_a").status_code == 302


def test_the_lock_lifts_after_the_cool_off(personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    fail(Client(), "nurse_a", 2)
    assert log_in(Client(), "nurse_a").status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=31))
    assert log_in(Client(), "nurse_a").status_code == 302


def test_an_attempt_during_the_lockout_starts_the_cool_off_again(
    personas: Personas, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    fail(Client(), "nurse_a", 2)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=20))
    assert log_in(Client(), "nurse_a").status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=20))
    assert log_in(Client(), "nurse_a").status_code == 429
