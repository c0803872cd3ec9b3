"""A test admin site with ``Site`` under ``AuditedModelAdmin`` (the project's is separate)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import path

from sclerocell.web.accounts.models import Site
from sclerocell.web.audit.admin import AuditedModelAdmin


class TestAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_authenticated)


class SiteAdmin(AuditedModelAdmin):
    fields = ["number", "name", "city"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_add_permission(self, request: HttpRequest) -> bool:
        return True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


site = TestAdminSite(name="audit_test_admin")
site.register(Site, SiteAdmin)

urlpatterns = [path("admin/", site.urls)]
