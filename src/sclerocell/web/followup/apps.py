from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class FollowupConfig(AppConfig):
    name = "sclerocell.web.followup"
    label = "followup"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "follow-up"

    def ready(self) -> None:
        from . import lockguard

        pre_migrate.connect(lockguard.on_pre_migrate, sender=self, dispatch_uid="followup-pre")
        post_migrate.connect(lockguard.on_post_migrate, sender=self, dispatch_uid="followup-post")
