from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sclerocell.web.accounts"
    label = "accounts"
    verbose_name = _("Sites and staff")
    default_auto_field = "django.db.models.BigAutoField"
