"""Write the analysis report of the whole trial (every site) as HTML and/or PDF.

    sclerocell report --out DIR [--cutoff YYYY-MM-DD] [--lang fr|en|both] [--format html|pdf|both]

Files: ``DIR/msc-ssc-report-<cutoff>-<lang>.html`` and ``.pdf``. The cut-off defaults to today.
Each file written is recorded in the audit trail (by the system). The last line printed gives
the snapshot's hash: the same snapshot gives the same numbers, the same hash and the same HTML.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sclerocell.analysis.messages import AnalysisInputError, Lang
from sclerocell.web.accounts.models import Site
from sclerocell.web.report.service import make_report, record_run


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--cutoff: {text!r} is not a date YYYY-MM-DD") from error


class Command(BaseCommand):
    help = "Write the analysis report (every endpoint, with figures) as HTML and PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="Directory to write the files into.")
        parser.add_argument("--cutoff", help="Data cut-off, YYYY-MM-DD (default: today).")
        parser.add_argument("--lang", choices=["fr", "en", "both"], default="both")
        parser.add_argument("--format", choices=["html", "pdf", "both"], default="both")

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = _date(options["cutoff"]) if options["cutoff"] else timezone.localdate()
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        langs = ["fr", "en"] if options["lang"] == "both" else [options["lang"]]
        formats = ["html", "pdf"] if options["format"] == "both" else [options["format"]]
        snapshot = ""
        for lang in langs:
            try:
                report = make_report(Site.objects.all(), cutoff, cast(Lang, lang))
            except AnalysisInputError as error:
                raise CommandError(f"the data cannot be analysed: {error}") from error
            snapshot = report.body.results.snapshot_hash
            stem = out / f"msc-ssc-report-{cutoff.isoformat()}-{lang}"
            document = report.document()
            if "html" in formats:
                content = document.encode("utf-8")
                stem.with_suffix(".html").write_bytes(content)
                record_run(None, report, format="html", content=content)
                self.stdout.write(f"wrote {stem.with_suffix('.html')}")
            if "pdf" in formats:
                pdf = report.pdf()
                stem.with_suffix(".pdf").write_bytes(pdf)
                record_run(None, report, format="pdf", content=pdf)
                self.stdout.write(f"wrote {stem.with_suffix('.pdf')}")
        self.stdout.write(f"cutoff={cutoff.isoformat()} snapshot={snapshot}")
