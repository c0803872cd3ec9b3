"""Compile every .po catalogue of the project into .mo, with polib (no GNU gettext needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.core.management.base import BaseCommand, CommandError

PACKAGE = Path(__file__).resolve().parents[3]


class Command(BaseCommand):
    help = "Compile the French and English translation catalogues."

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = 0
        for po_path in sorted(PACKAGE.rglob("locale/*/LC_MESSAGES/*.po")):
            try:
                catalogue = polib.pofile(str(po_path))
            except (OSError, ValueError) as exc:
                raise CommandError(f"{po_path}: {exc}") from exc
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
            compiled += 1
        self.stdout.write(f"compiled {compiled} catalogue(s)")
