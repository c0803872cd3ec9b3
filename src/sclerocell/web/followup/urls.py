"""Follow-up pages. A participant is addressed by its study code, a visit by its number."""

from django.urls import URLPattern, URLResolver, path

# The study-code converter is registered by the trial app's URL module.
from sclerocell.web.trial import urls as _trial_urls  # noqa: F401

from . import views

app_name = "followup"
PARTICIPANT = "participants/<studycode:code>/"
VISIT = PARTICIPANT + "visits/<int:visit_id>/"
FORM = VISIT + "forms/<slug:form>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("follow-up/calendar/", views.calendar_page, name="calendar"),
    path("follow-up/queries/", views.query_list, name="query_list"),
    path(PARTICIPANT + "visits/", views.visit_list, name="visit_list"),
    path(PARTICIPANT + "visits/new/", views.record_visit, name="record_visit"),
    path(VISIT, views.visit_detail, name="visit_detail"),
    path(VISIT + "sign/", views.sign_visit, name="sign_visit"),
    path(FORM, views.form_page, name="form"),
    path(FORM + "status/", views.form_transition, name="form_transition"),
    path(FORM + "sign/", views.sign_form, name="sign_form"),
    path(PARTICIPANT + "queries/", views.participant_queries, name="participant_queries"),
    path(PARTICIPANT + "queries/new/", views.raise_query, name="raise_query"),
    path(PARTICIPANT + "queries/<int:query_id>/", views.query_detail, name="query_detail"),
    path(PARTICIPANT + "response/", views.response_page, name="response"),
]
