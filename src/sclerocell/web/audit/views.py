"""The audit trail of one participant: a page, and its CSV export (itself audited).

Only users whose role grants ``VIEW_AUDIT_TRAIL`` (403 otherwise), and only for participants
of their sites (404 otherwise) — both through ``trial.access.get_participant_for``.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial.access import get_participant_for

from .context import audit_scope
from .models import AuditEvent, AuditExport
from .presentation import present, to_csv


@login_required
@require_GET
def participant_trail(request: HttpRequest, ref: str) -> HttpResponse:
    participant = get_participant_for(request.user, ref, Permission.VIEW_AUDIT_TRAIL)
    rows = [present(event) for event in AuditEvent.objects.for_participant(participant)]
    return render(
        request, "audit/participant_trail.html", {"participant": participant, "rows": rows}
    )


@login_required
@require_POST
def participant_trail_csv(request: HttpRequest, ref: str) -> HttpResponse:
    participant = get_participant_for(request.user, ref, Permission.VIEW_AUDIT_TRAIL)
    events = list(AuditEvent.objects.for_participant(participant))
    content, lines = to_csv(present(event) for event in events)
    with audit_scope(by=request.user, action="export_audit_trail"):
        AuditExport.objects.create(
            participant_pk=participant.pk,
            format="csv",
            row_count=lines,
            last_seq=events[-1].seq if events else None,
            sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        )
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{participant}-{stamp}.csv"'
    return response
