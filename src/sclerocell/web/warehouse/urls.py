"""The warehouse pre-screen page, its downloads and one person's explanation (no URL argument:
site, run, file and person are form or query fields, checked against the user's sites)."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "warehouse"
urlpatterns: list[URLPattern | URLResolver] = [
    path("warehouse/prescreen/", views.prescreen_page, name="prescreen"),
    path("warehouse/prescreen/download/", views.download, name="download"),
    path("warehouse/prescreen/person/", views.person, name="person"),
]
