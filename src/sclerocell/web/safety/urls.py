"""Safety pages. A participant's events live under the participant's page (``code``)."""

from django.urls import URLPattern, URLResolver, path

import sclerocell.web.trial.urls  # noqa: F401 — registers the ``studycode`` path converter

from . import views

app_name = "safety"
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "participants/<studycode:code>/adverse-events/",
        views.participant_events,
        name="participant_events",
    ),
    path(
        "participants/<studycode:code>/adverse-events/new/",
        views.record_event,
        name="record_event",
    ),
    path(
        "participants/<studycode:code>/adverse-events/<int:event_id>/edit/",
        views.edit_event,
        name="edit_event",
    ),
    path(
        "participants/<studycode:code>/adverse-events/<int:event_id>/assessment/",
        views.assess_event,
        name="assess_event",
    ),
    path(
        "participants/<studycode:code>/adverse-events/<int:event_id>/report/",
        views.record_report,
        name="record_report",
    ),
    path("safety/", views.overview, name="overview"),
    path("safety/clocks/", views.clock_list, name="clocks"),
    path("safety/malignancies/", views.malignancy_list, name="malignancies"),
    path("safety/stopping-rule/", views.stopping_rule, name="stopping_rule"),
    path("safety/ctcae/terms.json", views.term_search, name="term_search"),
]
