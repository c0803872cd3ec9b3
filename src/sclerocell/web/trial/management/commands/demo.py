"""Load the synthetic demo trial and print the demo logins.

    sclerocell demo                    load into an empty database
    sclerocell demo --reset-if-exists  throw away an existing demo (embedded SQLite only) first

The audit trail is append-only (the database refuses to delete its rows), so a reset does not
delete rows: it removes the demo's SQLite file and migrates a fresh one. A database holding
anything that is not this demo is never touched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections, transaction

from sclerocell.web.trial import demo


class Command(BaseCommand):
    help = "Load the synthetic demo trial: 2 sites, staff for every role, 20 recipients, 20 donors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-if-exists",
            action="store_true",
            help="Replace an existing demo database (embedded SQLite) instead of stopping.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "SCLEROCELL_PRODUCTION", False):
            raise CommandError("The demo is never loaded in production.")
        if demo.exists():
            if not demo.is_demo():
                raise CommandError(
                    "This database holds data that is not the demo; the demo is not loaded here."
                )
            if not options["reset_if_exists"]:
                raise CommandError(
                    "The demo is already loaded; run `sclerocell demo --reset-if-exists` to "
                    "start again from scratch."
                )
            self._recreate_database()
        with transaction.atomic():
            demo.load(log=lambda message: self.stdout.write(message))
        self._print_logins()

    def _recreate_database(self) -> None:
        if connection.vendor != "sqlite":
            raise CommandError(
                "Resetting the demo is supported on the embedded SQLite database only; "
                "drop and re-create this database, then run `sclerocell migrate` and "
                "`sclerocell demo`."
            )
        path = Path(str(connection.settings_dict["NAME"]))
        if not path.is_file():
            raise CommandError(f"Not a database file: {path}")
        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        self.stdout.write(f"Removed the previous demo database {path}; migrating a new one.")
        call_command("migrate", verbosity=0)

    def _print_logins(self) -> None:
        rows = [("username", "role", "sites", "password")]
        rows += [
            (
                login.username,
                login.role.value,
                ", ".join(f"{n:02d}" for n in login.sites) or "—",
                demo.PASSWORD,
            )
            for login in demo.LOGINS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        self.stdout.write("")
        self.stdout.write("Demo logins (synthetic data only):")
        self.stdout.write(rule)
        for number, row in enumerate(rows):
            self.stdout.write(
                "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
            )
            if number == 0:
                self.stdout.write(rule)
        self.stdout.write(rule)
        required = ", ".join(getattr(settings, "SCLEROCELL_TOTP_REQUIRED_ROLES", []))
        if required:
            self.stdout.write(f"Roles that enrol a TOTP authenticator at first login: {required}.")
