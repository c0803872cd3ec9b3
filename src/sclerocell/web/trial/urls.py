"""Participant pages. A participant is addressed by its study code (``01-R007-4``)."""

from django.urls import URLPattern, URLResolver, path, register_converter

from . import views
from .studycode import PATTERN


class StudyCodeConverter:
    """Matches the shape of a study code; the check digit is verified by the access functions."""

    regex = PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(StudyCodeConverter, "studycode")

app_name = "trial"
urlpatterns: list[URLPattern | URLResolver] = [
    path("recipients/", views.recipient_list, name="recipient_list"),
    path("recipients/new/", views.register_recipient, name="register_recipient"),
    path("donors/", views.donor_list, name="donor_list"),
    path("participants/export.csv", views.participant_export, name="participant_export"),
    path("participants/<studycode:code>/", views.participant_detail, name="participant_detail"),
    path("participants/<studycode:code>/edit/", views.edit_participant, name="edit_participant"),
    path("participants/<studycode:code>/donors/new/", views.register_donor, name="register_donor"),
    path(
        "participants/<studycode:code>/consents/new/",
        views.record_consent,
        name="record_consent",
    ),
    path(
        "participants/<studycode:code>/consents/<int:consent_id>/withdraw/",
        views.withdraw_consent,
        name="withdraw_consent",
    ),
    path("participants/<studycode:code>/inclusion/", views.enrol, name="enrol"),
    path("participants/<studycode:code>/end/", views.end_participation, name="end_participation"),
]
