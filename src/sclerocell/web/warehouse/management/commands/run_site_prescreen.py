"""``sclerocell run-site-prescreen FOLDER``: do the work of a pre-screen started from the page
(its ``status.json`` says which warehouse, date, role and who asked); the page starts it in a
process of its own. See :mod:`sclerocell.web.warehouse.actions`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sclerocell.web.warehouse import actions


class Command(BaseCommand):
    help = "Run a warehouse pre-screen started from the page (internal)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="the run's folder, with its status.json")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        if not (folder / actions.STATUS_FILE).is_file():
            raise CommandError(f"{folder}: no {actions.STATUS_FILE}")
        run = actions.execute(folder)
        self.stdout.write(f"{folder}: {run.state}")
        if run.state == "failed":
            raise CommandError(str(run.status.get("error")))
