from django.apps import AppConfig


class ShellConfig(AppConfig):
    name = "sclerocell.web.shell"
    label = "shell"
    default_auto_field = "django.db.models.BigAutoField"
