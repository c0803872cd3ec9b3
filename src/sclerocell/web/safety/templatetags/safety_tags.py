"""Template helpers of the safety pages, and the "Safety" link of the navigation with its badge."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sclerocell.followup.messages import Message
from sclerocell.followup.reporting import ClockStatus
from sclerocell.followup.tolerance import OnsetPeriod
from sclerocell.web.accounts.roles import Permission

from ..clocks import badge_count
from ..models import ReportKind

register = template.Library()

STATUS_LABELS = {
    ClockStatus.PENDING: _("pending"),
    ClockStatus.MET: _("reported on time"),
    ClockStatus.OVERDUE: _("overdue"),
    ClockStatus.LATE: _("reported late"),
}
PERIOD_LABELS = {
    OnsetPeriod.BEFORE_INFUSION: _("before the infusion"),
    OnsetPeriod.IMMEDIATE: _("immediate (D0–D10)"),
    OnsetPeriod.EARLY: _("early (to 3 months)"),
    OnsetPeriod.LATE: _("late (beyond 3 months)"),
}


@register.filter
def message(value: Message | None) -> str:
    """A core ``Message`` in the page's language (French unless English was asked for)."""
    if value is None:
        return ""
    return value.en if (get_language() or "fr").startswith("en") else value.fr


@register.filter
def clock_status(value: str) -> str:
    return str(STATUS_LABELS[ClockStatus(value)])


@register.filter
def report_kind(value: str) -> str:
    return str(ReportKind(value).label)


@register.filter
def period(value: str) -> str:
    return str(PERIOD_LABELS[OnsetPeriod(value)])


@register.filter
def percent(value: float) -> str:
    return f"{value * 100:.1f} %"


@register.inclusion_tag("safety/nav_link.html", takes_context=True)
def safety_nav_link(context: dict[str, Any]) -> dict[str, Any]:
    """The "Safety" link for roles that see the safety pages; the overdue count for those who
    must send the reports (investigators, pharmacovigilance), at their own sites."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    checker = getattr(user, "can", None)
    shown = bool(checker and checker(Permission.VIEW_SAFETY))
    overdue = badge_count(request) if shown and request is not None else 0
    return {"shown": shown, "overdue": overdue}
