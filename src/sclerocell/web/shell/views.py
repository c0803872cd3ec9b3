"""The per-site dashboard: where the trial stands at the caller's sites, against the target."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial import access
from sclerocell.web.trial.stages import (
    TARGET_DONORS,
    TARGET_RECIPIENTS,
    FunnelRow,
    Milestone,
    Stage,
    funnel,
    stage_counts,
)
from sclerocell.web.trial.studycode import Kind


def _totals(rows: list[FunnelRow], kind: str) -> dict[Milestone, int]:
    return {
        milestone: sum(row.counts[milestone] for row in rows if row.kind == kind)
        for milestone in Milestone
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    scope = access.counted_participants_for(user)
    rows = funnel(scope)
    recipients = _totals(rows, Kind.RECIPIENT.value)
    donors = _totals(rows, Kind.DONOR.value)
    counts = stage_counts(scope.filter(kind=Kind.RECIPIENT.value))
    return render(
        request,
        "shell/dashboard.html",
        {
            "shows_counts": user.can(Permission.VIEW_SUBJECTS) or user.can(Permission.VIEW_REPORTS),
            "sites": list(access.sites_for(user)),
            "rows": rows,
            "milestones": list(Milestone),
            "recipient_totals": [recipients[m] for m in Milestone],
            "donor_totals": [donors[m] for m in Milestone],
            "row_counts": [(row, [row.counts[m] for m in Milestone]) for row in rows],
            "enrolled": recipients[Milestone.ENROLLED],
            "target": TARGET_RECIPIENTS,
            "donors_enrolled": donors[Milestone.ENROLLED],
            "target_donors": TARGET_DONORS,
            "recipient_stages": [(stage, counts[stage]) for stage in Stage],
            "can_manage_users": user.can(Permission.MANAGE_USERS),
            "can_view_subjects": user.can(Permission.VIEW_SUBJECTS),
        },
    )
