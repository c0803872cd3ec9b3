"""The warehouse pre-screen page: a site's staff (with EDIT_SCREENING or VIEW_REPORTS) run the
pre-screen on their hospital's configured warehouse and read its summary; another site's
warehouse and results are never reachable (404).

The run happens in the request (DuckDB on a small warehouse takes seconds); a large warehouse is
screened with ``sclerocell prescreen`` on the warehouse's own machine, into the same folder, and
its summary shows here.
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
from django.views.decorators.http import require_http_methods, require_POST

from sclerocell.prescreen.concept_map import ConceptMapError
from sclerocell.prescreen.omop import SourceError
from sclerocell.web.accounts.decorators import staff_user
from sclerocell.web.accounts.models import Site, User
from sclerocell.web.accounts.roles import Permission

from . import actions, conf
from .forms import PrescreenForm

WORK_LIST_ROWS = 50


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
                actions.run_prescreen(
                    site,
                    by=user,
                    index_date=form.cleaned_data["index_date"],
                    role=form.cleaned_data["role"],
                    population=form.cleaned_data["population"],
                )
            except actions.AlreadyRunning:
                form.add_error(None, _("A pre-screen of this site is already running."))
            except (SourceError, ConceptMapError, OSError) as exc:
                form.add_error(
                    None, _("The warehouse could not be read: %(error)s") % {"error": exc}
                )
            else:
                messages.success(request, _("Pre-screen done."))
                return redirect(f"{reverse('warehouse:prescreen')}?site={site.number}")
        status = 400
    shown = sites
    if request.GET.get("site"):
        shown = [_site(user, request.GET["site"])]
    summaries = []
    for site in shown:
        run = actions.latest_run(site)
        summaries.append({"site": site, **(_summary(run) if run else {})})
    return render(
        request,
        "warehouse/prescreen.html",
        {"form": form, "sites": sites, "summaries": summaries},
        status=status,
    )


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
