from django.apps import AppConfig


class WarehouseConfig(AppConfig):
    name = "sclerocell.web.warehouse"
    label = "warehouse"
    default_auto_field = "django.db.models.BigAutoField"
