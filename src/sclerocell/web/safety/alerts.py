"""E-mail alerts for overdue reporting clocks — once per clock and escalation level.

``sclerocell safety-alerts`` (cron, e.g. every 15 minutes) calls ``send_overdue_alerts``:

- level 1 when a clock's deadline has passed without its report: the responsible roles of the
  event's site (``clocks.RESPONSIBLE``: investigators and pharmacovigilance for the sponsor
  notification, pharmacovigilance for the SUSAR reports);
- level 2 (escalation) ``SCLEROCELL_SAFETY_ESCALATION_HOURS`` after the deadline: the same people
  and the site's monitors.

Idempotent: one ``SafetyAlert`` row per (event, clock, level), unique in the database. A row is
claimed (``sent_at`` set) in the transaction that records it; the mail goes out through Django's
mail API once that transaction commits. A mail the backend refuses puts the row back to unsent,
and the next run tries again; a row with no recipient (nobody with an e-mail address) stays
unsent too, and the command says so — an alert is never marked sent without being sent.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from sclerocell.followup.reporting import ClockKind
from sclerocell.web.accounts.models import User
from sclerocell.web.audit.context import audit_scope

from . import clocks, conf
from .clocks import ESCALATION_ROLES, RESPONSIBLE, EventClock
from .models import AdverseEvent, ReportKind, SafetyAlert

logger = logging.getLogger(__name__)

LEVEL_NAMES = {1: ("en retard", "overdue"), 2: ("escalade", "escalated")}


@dataclass
class AlertRun:
    """What one run found and did."""

    overdue: list[EventClock] = field(default_factory=list)
    sent: list[SafetyAlert] = field(default_factory=list)
    without_recipient: list[SafetyAlert] = field(default_factory=list)


def due_levels(clock: EventClock, now: datetime) -> list[int]:
    """The escalation levels an overdue clock has reached at ``now``."""
    if not clock.overdue:
        return []
    levels = [1]
    if now - clock.deadline >= conf.escalation_delay():
        levels.append(2)
    return levels


def recipients(event: AdverseEvent, kind: ClockKind, level: int) -> list[str]:
    """The e-mail addresses of the active staff of the event's site who answer at ``level``."""
    roles = set(RESPONSIBLE[kind]) | (set(ESCALATION_ROLES) if level >= 2 else set())
    users = (
        User.objects.filter(is_active=True, role__in=sorted(roles), sites=event.participant.site_id)
        .exclude(email="")
        .order_by("email")
    )
    return list(dict.fromkeys(users.values_list("email", flat=True)))


def _message(alert: SafetyAlert, clock: EventClock, to: Sequence[str]) -> EmailMessage:
    event = clock.event
    code = event.participant.code
    level_fr, level_en = LEVEL_NAMES.get(alert.level, LEVEL_NAMES[2])
    kind = ReportKind(alert.kind)
    subject = (
        f"[sclerocell] {code} EI {event.number} : déclaration {level_fr} / "
        f"AE {event.number}: report {level_en}"
    )
    body = "\n".join(
        [
            f"{code} — EI n° {event.number} : {event.term} (grade {event.grade}).",
            clock.state.message.fr,
            "",
            f"{code} — AE {event.number}: {event.term} (grade {event.grade}).",
            clock.state.message.en,
            "",
            f"/fr/participants/{code}/adverse-events/#ae-{event.number}",
            f"({kind.value}, level {alert.level})",
        ]
    )
    return EmailMessage(subject, body, conf.alert_sender(), list(to))


def _deliver(batch: list[tuple[list[SafetyAlert], EmailMessage]]) -> None:
    """Hand each mail to the backend; put its alerts back to unsent when the mail fails."""
    for alerts, message in batch:
        try:
            message.send()
        except Exception:  # any backend failure: the next run retries these alerts
            logger.exception("safety alert %s could not be sent", [a.pk for a in alerts])
            with audit_scope(by=None, action="safety_alert_retry"):
                SafetyAlert.objects.filter(pk__in=[a.pk for a in alerts]).update(sent_at=None)


def _claim(clock: EventClock, level: int) -> SafetyAlert | None:
    """The alert of ``clock`` at ``level`` if it was never sent (and no other run holds it)."""
    alert, _created = SafetyAlert.objects.get_or_create(
        event=clock.event,
        kind=clock.kind.value,
        level=level,
        defaults={"deadline": clock.deadline},
    )
    return (
        SafetyAlert.objects.select_for_update(skip_locked=True)
        .filter(pk=alert.pk, sent_at__isnull=True)
        .first()
    )


def send_overdue_alerts(*, now: datetime | None = None, dry_run: bool = False) -> AlertRun:
    """List the overdue clocks of every site and send the alerts not sent yet.

    One mail per clock and run: a clock found past its escalation at the first run gets one
    mail, at the highest level (its recipients include the lower level's), and every level it
    reached is recorded as sent.
    """
    moment = now or timezone.now()
    events = clocks.serious_events(AdverseEvent.objects.select_related("participant__site"))
    run = AlertRun(overdue=[c for c in clocks.board(events, moment) if c.overdue])
    if dry_run:
        return run
    batch: list[tuple[list[SafetyAlert], EmailMessage]] = []
    with audit_scope(by=None, action="safety_alerts"):
        for clock in run.overdue:
            claimed = [a for a in (_claim(clock, n) for n in due_levels(clock, moment)) if a]
            if not claimed:
                continue  # sent before, or being sent by another run
            top = max(claimed, key=lambda alert: alert.level)
            to = recipients(clock.event, clock.kind, top.level)
            if not to:
                run.without_recipient.append(top)
                continue
            for alert in claimed:
                alert.sent_at, alert.recipients = moment, ", ".join(to)
                alert.save(update_fields=["sent_at", "recipients"])
            batch.append((claimed, _message(top, clock, to)))
            run.sent.append(top)
        transaction.on_commit(lambda: _deliver(batch))
    return run
