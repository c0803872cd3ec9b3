from django.apps import AppConfig


class ProductConfig(AppConfig):
    name = "sclerocell.web.product"
    label = "product"
    default_auto_field = "django.db.models.BigAutoField"
