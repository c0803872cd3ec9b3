from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate


class AuditConfig(AppConfig):
    name = "sclerocell.web.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib import admin

        from sclerocell.web.accounts.models import Site

        from . import triggers
        from .admin import audit_the_admin
        from .registry import audited

        # The trial's sites are configuration an inspector expects to see audited.
        audited()(Site)
        # The admin discovered every app's admin.py before this app became ready.
        audit_the_admin(admin.site)
        connection_created.connect(triggers.on_connection_created, dispatch_uid="audit-conn")
        pre_migrate.connect(triggers.on_pre_migrate, sender=self, dispatch_uid="audit-pre")
        post_migrate.connect(triggers.on_post_migrate, sender=self, dispatch_uid="audit-post")
