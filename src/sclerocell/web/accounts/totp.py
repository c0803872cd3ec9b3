"""The TOTP second factor: who must use it, the user's device, and its enrolment QR code.

A role listed in ``settings.SCLEROCELL_TOTP_REQUIRED_ROLES`` must pass a TOTP code after the
password; any other user who has enrolled a device is asked for it too. The session remembers
the verified device (django-otp), so the middleware can keep an unverified session on the
second-factor pages.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

# Set in the session at password login when a second factor is due, whatever the role.
PENDING_SESSION_KEY = "sclerocell_second_factor_pending"
DEVICE_NAME = "default"


def required_for(user: Any) -> bool:
    return bool(getattr(user, "role", "")) and user.role in settings.SCLEROCELL_TOTP_REQUIRED_ROLES


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user: Any) -> TOTPDevice:
    """The device being enrolled: the same key until it is confirmed, so a reload is harmless."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def second_factor_due(user: Any) -> bool:
    """At password login: must this user pass a TOTP code before anything else?"""
    return required_for(user) or confirmed_device(user) is not None


def needs_verification(request: HttpRequest) -> bool:
    """Is this logged-in session still waiting for its second factor?"""
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_verified():  # type: ignore[attr-defined]  # installed by OTPMiddleware
        return False
    return required_for(user) or bool(request.session.get(PENDING_SESSION_KEY))


def step_url(user: Any, next_url: str) -> str:
    """The code step if the user has a device, else the enrolment page; both keep ``next``."""
    name = "accounts:totp_verify" if confirmed_device(user) else "accounts:totp_enrol"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def base32_key(device: TOTPDevice) -> str:
    """The secret as authenticator apps expect it when typed, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG image in a data: URI (the CSP allows data: images)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))
