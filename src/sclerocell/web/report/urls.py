"""The analysis report: a page and its PDF."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "report"
urlpatterns: list[URLPattern | URLResolver] = [
    path("report/", views.report_page, name="page"),
    path("report/report.pdf", views.report_pdf, name="pdf"),
]
