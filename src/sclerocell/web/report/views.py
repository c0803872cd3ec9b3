"""The report page and its PDF, for the roles with ``VIEW_REPORTS``, over the user's sites.

The page is in the user's active language; ``?cutoff=YYYY-MM-DD`` sets the data cut-off (today
by default). Each page view and each PDF download is a generation of the report, recorded in the
audit trail (``service.record_run``); nothing else is written.
"""

from __future__ import annotations

import datetime
from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from sclerocell.analysis.messages import AnalysisInputError, Lang
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial import access

from .forms import CutoffForm
from .service import record_run, report_for


def _lang() -> Lang:
    return "fr" if (translation.get_language() or "fr").startswith("fr") else "en"


def _cutoff(form: CutoffForm) -> datetime.date:
    if form.is_valid() and form.cleaned_data.get("cutoff"):
        return cast(datetime.date, form.cleaned_data["cutoff"])
    return timezone.localdate()


@login_required
@require_GET
def report_page(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Permission.VIEW_REPORTS)
    form = CutoffForm(request.GET or None)
    cutoff, lang = _cutoff(form), _lang()
    try:
        report = report_for(request.user, cutoff, lang, embed="image")
    except AnalysisInputError as error:
        message = error.message.fr if lang == "fr" else error.message.en
        return render(
            request,
            "report/page.html",
            {"form": form, "cutoff": cutoff, "error": message, "field": error.field},
            status=409,
        )
    record_run(request.user, report, format="html", content=report.body.html.encode("utf-8"))
    return render(
        request,
        "report/page.html",
        {
            "form": form,
            "cutoff": cutoff,
            "body": mark_safe(report.body.html),  # noqa: S308 — rendered by our templates
        },
    )


@login_required
@require_GET
def report_pdf(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Permission.VIEW_REPORTS)
    cutoff, lang = _cutoff(CutoffForm(request.GET or None)), _lang()
    try:
        report = report_for(request.user, cutoff, lang)
    except AnalysisInputError as error:
        message = error.message.fr if lang == "fr" else error.message.en
        return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
    pdf = report.pdf()
    record_run(request.user, report, format="pdf", content=pdf)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"msc-ssc-report-{cutoff.isoformat()}-{lang}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
