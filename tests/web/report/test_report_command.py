"""``sclerocell report``: the HTML and PDF files of the whole trial, audited."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.report.models import ReportRun
from sclerocell.web.report.service import clear_cache
from tests.web.report.conftest import EARLY, ReportTrial, pdf_page_count


def test_the_command_writes_the_html_and_a_pdf_with_pages(
    report_trial: ReportTrial, tmp_path: Path
) -> None:
    out = io.StringIO()
    call_command(
        "report", out=str(tmp_path), cutoff=EARLY.isoformat(), lang="en", format="both", stdout=out
    )
    html = (tmp_path / "msc-ssc-report-2015-08-01-en.html").read_text(encoding="utf-8")
    pdf = (tmp_path / "msc-ssc-report-2015-08-01-en.pdf").read_bytes()
    snapshot = re.search(r"snapshot=([0-9a-f]{64})", out.getvalue())
    assert snapshot is not None
    assert html.startswith("<!doctype html>")
    assert snapshot.group(1) in html
    assert report_trial.a1.code in html and report_trial.b1.code in html  # every site
    assert "@page" in html  # the print CSS
    assert pdf.startswith(b"%PDF")
    assert pdf_page_count(pdf) >= 2
    runs = list(ReportRun.objects.order_by("pk"))
    assert [(r.format, r.language, r.snapshot_hash) for r in runs] == [
        ("html", "en", snapshot.group(1)),
        ("pdf", "en", snapshot.group(1)),
    ]
    assert all(AuditEvent.objects.for_row(r).get().action == "generate_report" for r in runs)


def test_the_same_snapshot_gives_the_same_html_file(
    report_trial: ReportTrial, tmp_path: Path
) -> None:
    for folder in ("first", "second"):
        clear_cache()  # computed and rendered again, not served from the cache
        call_command(
            "report",
            out=str(tmp_path / folder),
            cutoff=EARLY.isoformat(),
            lang="fr",
            format="html",
            stdout=io.StringIO(),
        )
    name = "msc-ssc-report-2015-08-01-fr.html"
    assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()


def test_a_bad_cutoff_is_refused(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("report", out=str(tmp_path), cutoff="31/12/2015", stdout=io.StringIO())
