"""List the overdue reporting clocks of serious adverse events and e-mail the people responsible.

    sclerocell safety-alerts            list, and send each alert not sent yet (once per clock
                                        and escalation level)
    sclerocell safety-alerts --dry-run  list only

Run it from cron (every 15 minutes, say). Mail goes through Django's mail API (the console
backend unless EMAIL_BACKEND says otherwise) after the alerts are recorded.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sclerocell.web.safety.alerts import send_overdue_alerts


class Command(BaseCommand):
    help = "List overdue SAE reporting clocks and e-mail the people responsible (once per level)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List only; send nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        run = send_overdue_alerts(now=now, dry_run=options["dry_run"])
        if not run.overdue:
            self.stdout.write("No overdue reporting clock.")
        for clock in run.overdue:
            event = clock.event
            late = now - clock.deadline
            hours = int(late.total_seconds() // 3600)
            self.stdout.write(
                f"OVERDUE {event.participant.code} AE {event.number} {clock.kind.value}: "
                f"deadline {clock.deadline:%Y-%m-%d %H:%M} UTC, {hours} h ago — {event.term}"
            )
        for alert in run.without_recipient:
            self.stderr.write(
                f"No recipient with an e-mail address for alert {alert.kind} level {alert.level} "
                f"of event {alert.event_id}: not sent, retried at the next run."
            )
        if not options["dry_run"]:
            self.stdout.write(f"{len(run.sent)} alert(s) sent.")
