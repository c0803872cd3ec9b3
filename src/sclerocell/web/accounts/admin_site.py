"""The Django admin, open to administrators only.

The administrator manages accounts, sites, second factors, lockouts and API tokens there; the
role grants no clinical permission, so trial models appear at most read-only
(`sclerocell.web.accounts.admin.ReadOnlyModelAdmin`). Logging in goes through the application's
login page, so the lockout and the second factor apply to the admin too.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role


def is_administrator(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and getattr(user, "role", "") == Role.ADMINISTRATOR
    )


class SclerocellAdminSite(AdminSite):
    site_header = _("sclerocell administration")
    site_title = _("sclerocell administration")
    index_title = _("Accounts and sites")

    def has_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        if self.has_permission(request):
            return redirect(reverse("admin:index", current_app=self.name))
        if request.user.is_authenticated:
            # Logged in, but not as an administrator: refuse rather than offer another login.
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        response: HttpResponse = redirect_to_login(next_url, reverse("accounts:login"))
        return response
