"""Installs the administrators-only site as Django's default admin site (`admin.site`)."""

from django.contrib.admin.apps import AdminConfig


class SclerocellAdminConfig(AdminConfig):
    default_site = "sclerocell.web.accounts.admin_site.SclerocellAdminSite"
