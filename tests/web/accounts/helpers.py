"""Helpers of the accounts tests: log in through the page, read a TOTP code, move the clock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sclerocell.web.accounts.models import User
from tests.web.conftest import PASSWORD

LOGIN_URL = "/fr/accounts/login/"


def log_in(client: Client, username: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows right now for this device."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = int(current_code(device))
    return f"{(right + 500_000) % 1_000_000:06d}"


def enrol_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def csrf_token_of(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


@contextmanager
def clock_moved(by: timedelta) -> Iterator[None]:
    """Every `timezone.now()` (sessions, axes, tokens) answers `by` later than the real clock."""
    real_now = timezone.now
    with mock.patch("django.utils.timezone.now", lambda: real_now() + by):
        yield
