"""Screening pages. A participant is addressed by its study code (``01-R007-4``); each form has
its own path (no extra URL argument), so the site-isolation sweep covers every one of them."""

from django.urls import URLPattern, URLResolver, path

from sclerocell.web.trial import urls as _trial_urls  # noqa: F401 — registers the studycode converter

from . import catalogue, views

app_name = "screening"
P = "participants/<studycode:code>/screening/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("screening-log/", views.screening_log, name="log"),
    path("screening-log/export.csv", views.screening_log_csv, name="log_csv"),
    path(P, views.overview, name="overview"),
    path(f"{P}input.json", views.input_json, name="input_json"),
    path(f"{P}profile/", views.profile, name="profile"),
    path(f"{P}statements/", views.statements, name="statements"),
    path(f"{P}measurements/", views.measurements, name="measurements"),
    path(f"{P}blood-pressure/", views.blood_pressures, name="blood_pressures"),
    path(f"{P}skin-score/", views.skin_scores, name="skin_scores"),
    path(f"{P}cyclophosphamide/", views.courses, name="courses"),
    path(f"{P}remove/", views.remove_row, name="remove_row"),
    path(f"{P}sign/", views.sign, name="sign"),
    *(
        path(
            f"{P}{section.slug}/",
            views.FINDING_VIEWS[section.slug],
            name=f"findings_{section.slug.replace('-', '_')}",
        )
        for section in catalogue.FINDING_SECTIONS
    ),
]
