"""The export page: a role with EXPORT_DATA (data manager, statistician) chooses a format and a
cut-off and downloads a zip of the data of their own sites (all of them, or one). The export is
recorded in the audit trail; nothing else is written, so a read-only role stays read-only.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sclerocell.web.accounts.decorators import staff_user
from sclerocell.web.accounts.models import User
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial.access import get_site_for, participants_for, require, sites_for
from sclerocell.web.trial.models import Participant

from . import actions, formats
from .forms import ALL_SITES, ExportForm
from .models import DataExport

RECENT = 10


def _scope(user: User, site: str) -> QuerySet[Participant]:
    """The participants the user may export: their sites', or one of them (404 otherwise)."""
    participants = participants_for(user, Permission.EXPORT_DATA)
    if site == ALL_SITES:
        return participants
    return participants.filter(site=get_site_for(user, int(site), Permission.EXPORT_DATA))


@login_required
@require_http_methods(["GET", "POST"])
def export_page(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require(user, Permission.EXPORT_DATA)
    sites = list(sites_for(user).order_by("number"))
    form = ExportForm(request.POST or None, sites=sites)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            participants = _scope(user, form.cleaned_data["site"])
            with tempfile.TemporaryDirectory(prefix="sclerocell-export-") as folder:
                try:
                    result = actions.export(
                        participants,
                        by=user,
                        format_code=form.cleaned_data["format"],
                        cutoff=form.cleaned_data["cutoff"],
                        out_dir=Path(folder),
                    )
                except formats.FormatUnavailableError:
                    form.add_error("format", _("This format is not available on this server."))
                except formats.ExportFailedError as error:
                    form.add_error(
                        None,
                        _("The %(format)s export failed; nothing was issued: %(error)s")
                        % {"format": error.code, "error": error.detail},
                    )
                else:
                    response = HttpResponse(
                        result.zip_path.read_bytes(), content_type="application/zip"
                    )
                    response["Content-Disposition"] = (
                        f'attachment; filename="{result.zip_path.name}"'
                    )
                    response["X-Content-SHA256"] = result.record.sha256
                    return response
    recent = DataExport.objects.filter(requested_by=user)[:RECENT]
    return render(
        request,
        "exports/index.html",
        {"form": form, "formats": formats.FORMATS.values(), "recent": recent},
        status=status,
    )
