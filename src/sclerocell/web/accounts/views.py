"""Login (password, lockout, TOTP second factor), TOTP enrolment and the user's API tokens."""

from __future__ import annotations

import math
from typing import Any, cast

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import totp
from .actions import issue_token, revoke_token
from .forms import ApiTokenForm, LoginForm, TotpCodeForm
from .models import ApiToken, User


class LoginView(auth_views.LoginView):
    """The password step; a second factor, when due, follows before any other page."""

    template_name = "accounts/login.html"
    form_class = LoginForm

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        auth_login(self.request, user)
        next_url = self.get_success_url()
        if totp.second_factor_due(user):
            self.request.session[totp.PENDING_SESSION_KEY] = True
            return redirect(totp.step_url(user, next_url))
        return HttpResponseRedirect(next_url)


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The lockout page (axes' AXES_LOCKOUT_CALLABLE): when to try again, whom to ask."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _verified(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    otp_login(request, device)
    request.session.pop(totp.PENDING_SESSION_KEY, None)
    return redirect(_next_url(request))


def _throttled_message(device: TOTPDevice) -> str | None:
    allowed, _info = device.verify_is_allowed()
    if allowed:
        return None
    return _("Too many wrong codes: wait a few seconds, then enter the current code.")


@never_cache
@login_required
def totp_verify(request: HttpRequest) -> HttpResponse:
    """The code step of a login, for a user with a confirmed device."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_next_url(request))
    device = totp.confirmed_device(user)
    if device is None:
        return redirect(totp.step_url(user, _next_url(request)))
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _throttled_message(device)
        if throttled:
            form.add_error("code", throttled)
        elif verify_token(user, device.persistent_id, form.cleaned_data["code"]):
            return _verified(request, device)
        else:
            form.add_error("code", _("This code is not valid. Enter the code shown now."))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/totp_verify.html", context)


@never_cache
@login_required
def totp_enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code."""
    user = request.user
    if totp.confirmed_device(user) is not None:
        if user.is_verified():  # type: ignore[union-attr]
            messages.info(request, _("Your authenticator app is already set up."))
            return redirect(_next_url(request))
        # Never a second device before the first one's code: that would bypass the factor.
        return redirect(totp.step_url(user, _next_url(request)))
    device = totp.pending_device(user)
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _throttled_message(device)
        if throttled:
            form.add_error("code", throttled)
        elif device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            messages.success(request, _("Your authenticator app is set up."))
            return _verified(request, device)
        else:
            form.add_error(
                "code", _("This code does not match. Check the app’s clock and try again.")
            )
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_code": totp.qr_data_uri(device),
        "key": totp.base32_key(device),
        "required": totp.required_for(user),
    }
    return render(request, "accounts/totp_enrol.html", context)


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: list, create (the token is shown once, on this response)."""
    user = cast(User, request.user)  # login_required: never anonymous here
    form = ApiTokenForm(request.POST or None)
    created: tuple[ApiToken, str] | None = None
    if request.method == "POST" and form.is_valid():
        created = issue_token(
            user,
            name=form.cleaned_data["name"],
            expires_at=form.expires_at(),
            read_only=form.cleaned_data["read_only"],
        )
        form = ApiTokenForm()
    context: dict[str, Any] = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=user),
        "created": created[0] if created else None,
        "raw_token": created[1] if created else None,
        "has_device": totp.confirmed_device(user) is not None,
    }
    return render(request, "accounts/tokens.html", context)  # never_cache: no-store


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens; another user's token does not exist (404)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    revoke_token(token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
