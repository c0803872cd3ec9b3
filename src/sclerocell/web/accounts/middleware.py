"""Keeps a session that still owes its TOTP code on the second-factor pages.

After the password, a user whose role requires TOTP (or who has enrolled a device) may reach
only the code step, the enrolment page, logout and the language switch; every other page
redirects there. The HTTP API is left alone: it authenticates each request by token.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from . import totp

ALLOWED_VIEWS = frozenset(
    {
        "accounts:totp_verify",
        "accounts:totp_enrol",
        "accounts:logout",
        "accounts:login",
        "set_language",
        "javascript-catalog",
    }
)
API_PREFIX = "/api/"


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        if request.path_info.startswith(API_PREFIX):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_VIEWS:
            return None
        if not totp.needs_verification(request):
            return None
        return redirect(totp.step_url(request.user, request.get_full_path()))
