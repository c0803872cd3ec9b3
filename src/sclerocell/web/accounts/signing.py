"""The password an electronic signature asks for, counted with the login's failures.

An electronic signature (eligibility, a form, a batch release) is the signer re-entering their
password. A wrong password there is a failed authentication like a wrong password at the login:
it counts toward the same lockout (django-axes, per username, ``AXES_FAILURE_LIMIT`` failures),
and once the account is locked out no signature is accepted — even with the right password —
until the cool-off has passed. Otherwise a session left open would let anyone try passwords at a
signature page without limit.

Axes records a failure only with the request that caused it; the actions that check a signature
are called from pages and API operations, so :class:`SigningRequestMiddleware` keeps the current
request where :func:`check_signature_password` finds it. Outside a request (a management command,
a test calling an action directly) the password is checked and nothing is counted.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from enum import StrEnum

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from .models import User

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "signing_request", default=None
)

#: Shown at the password field of a signature while the account is locked out.
LOCKED_OUT = _(
    "Too many wrong passwords: your account is locked for a while and nothing can be signed. "
    "Try again later or ask the administrator of the trial."
)


class PasswordCheck(StrEnum):
    RIGHT = "right"
    WRONG = "wrong"
    LOCKED_OUT = "locked_out"


class SigningRequestMiddleware:
    """Makes the current request known to :func:`check_signature_password`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def check_signature_password(by: User, password: object) -> PasswordCheck:
    """Check the signer's password; a wrong one counts toward the login lockout."""
    request = _request.get()
    credentials = {"username": by.get_username()}
    if request is not None and AxesProxyHandler.is_locked(request, credentials):
        return PasswordCheck.LOCKED_OUT
    if isinstance(password, str) and password and by.check_password(password):
        return PasswordCheck.RIGHT
    if request is not None:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            return PasswordCheck.LOCKED_OUT
    return PasswordCheck.WRONG
