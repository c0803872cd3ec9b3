"""The warehouse pre-screen page: a site's staff (with EDIT_SCREENING or VIEW_REPORTS) run the
pre-screen on their hospital's configured warehouse and read its summary, and each listed
person's full explanation; another site's warehouse and results are never reachable (404).

The page starts the run in the background (:func:`actions.start_prescreen`) and shows its state
(running, with a refresh; failed, with the error) above the latest finished run's summary. A
warehouse may also be screened with ``sclerocell prescreen`` on the warehouse's own machine, into
the same folder: its summary shows here.
"""

from __future__ import annotations

from typing import Any

import pyarrow.parquet as pq
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sclerocell.criteria.logic import status_label
from sclerocell.criteria.status import Status
from sclerocell.prescreen.omop import SourceError
from sclerocell.prescreen.run import explain
from sclerocell.web.accounts.decorators import staff_user
from sclerocell.web.accounts.models import Site, User
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.screening.catalogue import render as render_text

from . import actions, conf, explanation
from .forms import PrescreenForm

WORK_LIST_ROWS = 50
REFRESH_SECONDS = 10


def _allowed(user: User) -> bool:
    return user.can(Permission.EDIT_SCREENING) or user.can(Permission.VIEW_REPORTS)


def _sites(user: User) -> list[Site]:
    """The user's sites that have a warehouse configured."""
    if not _allowed(user):
        raise PermissionDenied
    configured = conf.warehouses()
    return [s for s in user.sites.order_by("number") if s.number in configured]


def _site(user: User, number: Any) -> Site:
    for site in _sites(user):
        if str(site.number) == str(number):
            return site
    raise Http404


def _summary(run: actions.Run) -> dict[str, Any]:
    french = (translation.get_language() or "fr").startswith("fr")
    funnel = [
        {**r, "text": r["text_fr"] if french else r["text_en"], "indent": range(r["depth"])}
        for r in pq.read_table(run.folder / "funnel.parquet").to_pylist()
        if r["depth"] <= 2
    ]
    work = pq.read_table(run.folder / "to_confirm.parquet").slice(0, WORK_LIST_ROWS).to_pylist()
    eligible = pq.read_table(
        run.folder / "eligible.parquet", columns=["person_id", "last_data_date"]
    ).slice(0, WORK_LIST_ROWS)
    for row in work:
        text = row["to_obtain_fr"] if french else row["to_obtain_en"]
        row["to_obtain"] = [p for p in text.split(" | ") if p]
    rejects = pq.read_table(run.folder / "rejects.parquet", columns=["problem"])
    reasons: dict[str, int] = {}
    for problem in rejects.column("problem").to_pylist():
        reasons[problem] = reasons.get(problem, 0) + 1
    return {
        "run": run,
        "info": run.info,
        "verdicts": run.info["verdicts"],
        "funnel": funnel,
        "work": work,
        "eligible": eligible.to_pylist(),
        "to_confirm": run.info["to_confirm"],
        "reasons": sorted(reasons.items(), key=lambda x: -x[1]),
        "files": actions.FILES,
    }


@login_required
@require_http_methods(["GET", "POST"])
def prescreen_page(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    sites = _sites(user)
    form = PrescreenForm(request.POST or None, sites=sites)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            site = _site(user, form.cleaned_data["site"])
            try:
                actions.start_prescreen(
                    site,
                    by=user,
                    index_date=form.cleaned_data["index_date"],
                    role=form.cleaned_data["role"],
                    population=form.cleaned_data["population"],
                )
            except actions.AlreadyRunning:
                form.add_error(None, _("A pre-screen of this site is already running."))
            except (SourceError, OSError) as exc:
                form.add_error(
                    None, _("The warehouse could not be read: %(error)s") % {"error": exc}
                )
            else:
                messages.success(request, _("Pre-screen started."))
                return redirect(f"{reverse('warehouse:prescreen')}?site={site.number}")
        status = 400
    shown = sites
    if request.GET.get("site"):
        shown = [_site(user, request.GET["site"])]
    summaries = []
    for site in shown:
        run = actions.latest_run(site)
        summaries.append(
            {
                "site": site,
                **(_summary(run) if run else {}),
                "attempt": _attempt(actions.latest_attempt(site)),
            }
        )
    return render(
        request,
        "warehouse/prescreen.html",
        {
            "form": form,
            "sites": sites,
            "summaries": summaries,
            "running": any(s["attempt"] and s["attempt"]["state"] == "started" for s in summaries),
            "refresh_seconds": REFRESH_SECONDS,
        },
        status=status,
    )


def _attempt(run: actions.Run | None) -> dict[str, Any] | None:
    """The state of the site's latest run when it is not a finished one: running, or failed
    with its error in the user's language."""
    if run is None or run.state == "finished":
        return None
    status = run.status
    error = ""
    if run.state == "failed":
        if status.get("error_kind") == "source":
            error = _("The warehouse could not be read: %(error)s") % {"error": status["error"]}
        elif status.get("error"):
            error = _("The pre-screen failed: %(error)s") % {"error": status["error"]}
        else:
            error = _("The pre-screen stopped before it finished.")
    return {
        "state": run.state,
        "started_at": status.get("started_at", ""),
        "finished_at": status.get("finished_at") or "",
        "requested_by": status.get("requested_by", ""),
        "index_date": status.get("index_date", ""),
        "error": error,
    }


@login_required
@require_POST
def download(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    site = _site(user, request.POST.get("site"))
    name = request.POST.get("file", "")
    if name not in actions.FILES:
        raise Http404
    run = actions.latest_run(site)
    if run is None:
        raise Http404
    content = (run.folder / name).read_bytes()
    actions.record_download(run, name, content, by=user)
    kind = "text/csv" if name.endswith(".csv") else "text/html"
    response = HttpResponse(content, content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="prescreen-site{site.number:02d}-{run.started}-{name}"'
    )
    return response


@login_required
@require_GET
def person(request: HttpRequest) -> HttpResponse:
    """One screened person's full explanation from a run of the user's site (``?site=&run=
    &person=``): the screening page's verdict tree; each reading is recorded in the audit trail."""
    user = staff_user(request)
    site = _site(user, request.GET.get("site"))
    run = actions.find_run(site, request.GET.get("run", ""))
    person_id = request.GET.get("person", "")
    if run is None or not person_id.isdigit() or not _screened(run, person_id):
        raise Http404
    screening = explain(run.folder, person_id)
    actions.record_explanation(run, screening, by=user)
    return render(
        request,
        "warehouse/person.html",
        {
            "site": site,
            "run": run,
            "info": run.info,
            "person_id": person_id,
            "screening": screening,
            "verdict": screening.verdict.value,
            "verdict_label": render_text(screening.result.evidence.summary),
            "reasons": explanation.not_met_reasons(screening),
            "index_date": screening.index_date,
            "nodes": explanation.nodes(screening),
            "missing": explanation.missing(screening),
            "statuses": [(s.value, render_text(status_label(s))) for s in Status],
        },
    )


def _screened(run: actions.Run, person_id: str) -> bool:
    found = pq.read_table(
        run.folder / "statuses.parquet",
        columns=["subject_id"],
        filters=[("subject_id", "=", person_id)],
    )
    return bool(found.num_rows > 0)
