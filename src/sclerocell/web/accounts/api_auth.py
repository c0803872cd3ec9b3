"""Bearer-token authentication of the HTTP API, with the same rules as the pages.

    from sclerocell.web.accounts.api_auth import TokenAuth, require_permission

    router = Router(auth=TokenAuth())

    @router.get("/subjects")
    def subjects(request):
        require_permission(request, Permission.VIEW_SUBJECTS)   # 403 otherwise
        ...                                                     # request.user is the owner

A token authenticates its owner when it is neither revoked nor expired, and the owner is active
and not locked out; otherwise 401. A read-only token is refused (403) on any method that could
change data. No session, no CSRF: each request carries its token.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthorizationError, HttpError
from ninja.security import HttpBearer

from . import tokens
from .models import ApiToken, User
from .roles import WRITE_PERMISSIONS, Permission

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Recording every use would write on every request; a minute's precision is enough.
LAST_USED_PRECISION = timedelta(minutes=1)


def find_token(raw: str) -> ApiToken | None:
    """The token row matching a presented token, compared in constant time; None otherwise."""
    prefix = tokens.prefix_of(raw)
    if prefix is None:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not tokens.matches(raw, token.digest):
        return None
    return token


def _locked_out(request: HttpRequest, user: User) -> bool:
    return bool(AxesProxyHandler.is_locked(request, {"username": user.get_username()}))


class TokenAuth(HttpBearer):
    """``Authorization: Bearer scl_…``; returns the token's user (also set as request.user)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = find_token(token)
        now = timezone.now()
        if api_token is None or not api_token.is_usable(now):
            return None
        user = api_token.user
        if not user.is_active or _locked_out(request, user):
            return None
        if api_token.read_only and request.method not in SAFE_METHODS:
            raise AuthorizationError(message=_("This token is read-only."))
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = user
        request.api_token = api_token  # type: ignore[attr-defined]
        return user


def require_permission(request: HttpRequest, permission: Permission) -> None:
    """Refuse (403) a caller whose role, or whose read-only token, does not allow ``permission``."""
    user: Any = getattr(request, "auth", None) or request.user
    if not getattr(user, "is_authenticated", False) or not user.can(permission):
        raise HttpError(403, _("Your role does not allow this."))
    api_token = getattr(request, "api_token", None)
    if api_token is not None and api_token.read_only and permission in WRITE_PERMISSIONS:
        raise HttpError(403, _("This token is read-only."))
