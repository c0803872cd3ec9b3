"""The warehouse pre-screen page and its downloads (no URL argument: site and file are form
fields, checked against the user's sites)."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "warehouse"
urlpatterns: list[URLPattern | URLResolver] = [
    path("warehouse/prescreen/", views.prescreen_page, name="prescreen"),
    path("warehouse/prescreen/download/", views.download, name="download"),
]
