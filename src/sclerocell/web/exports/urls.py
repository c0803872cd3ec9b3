"""The export page (no URL argument: format, cut-off and site are form fields, the site checked
against the user's own)."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "exports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("exports/", views.export_page, name="index"),
]
