"""Enrolment and product-chain pages. Participant pages are addressed by study code only."""

from django.urls import URLPattern, URLResolver, path

from sclerocell.web.trial import urls as trial_urls  # noqa: F401 — registers <studycode:…>

from . import views

app_name = "product"
urlpatterns: list[URLPattern | URLResolver] = [
    path("enrolment/", views.enrolment_page, name="enrolment"),
    path(
        "enrolment/safety-board/new/",
        views.record_safety_board_decision,
        name="record_safety_board_decision",
    ),
    path(
        "enrolment/amendments/new/",
        views.record_protocol_amendment,
        name="record_protocol_amendment",
    ),
    path("feasibility/", views.feasibility_page, name="feasibility"),
    path("participants/<studycode:code>/timeline/", views.timeline_page, name="timeline"),
    path("participants/<studycode:code>/donor-choice/", views.select_donor, name="select_donor"),
    path("participants/<studycode:code>/product/", views.chain_page, name="chain"),
    path(
        "participants/<studycode:code>/product/harvest/",
        views.record_harvest,
        name="record_harvest",
    ),
    path("participants/<studycode:code>/product/batch/", views.record_batch, name="record_batch"),
    path(
        "participants/<studycode:code>/product/batch/results/",
        views.update_batch_results,
        name="update_batch_results",
    ),
    path(
        "participants/<studycode:code>/product/release/", views.release_batch, name="release_batch"
    ),
    path("participants/<studycode:code>/product/label.pdf", views.label, name="label"),
    path(
        "participants/<studycode:code>/product/bedside-check/",
        views.bedside_check,
        name="bedside_check",
    ),
    path(
        "participants/<studycode:code>/product/infusion/",
        views.record_infusion,
        name="record_infusion",
    ),
]
