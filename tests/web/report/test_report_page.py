"""The report page and its PDF: who may see them, over which sites, and what is written (one
audit entry per generation, nothing else)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.audit.registry import REGISTRY
from sclerocell.web.report.models import ReportRun
from tests.web.conftest import Personas
from tests.web.report.conftest import EARLY, ReportTrial

PAGE = "/en/report/"
PDF = "/en/report/report.pdf"
QUERY = {"cutoff": EARLY.isoformat()}


def page_text(content: bytes) -> str:
    """The page with the text of its figures (SVG images in ``data:`` URLs) decoded."""
    text = content.decode()
    figures = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', text)
    return text + "".join(base64.b64decode(f).decode() for f in figures)


def rows_besides_reports() -> dict[str, list[dict[str, Any]]]:
    """Every row of every audited table and of the trial app, report runs left out."""
    models = {spec.model for spec in REGISTRY.values()} - {ReportRun}
    models |= set(apps.get_app_config("trial").get_models())
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in sorted(models, key=lambda m: m._meta.label)
    }


@pytest.mark.parametrize("persona", ["statistician", "safety_board"])
def test_read_only_and_sponsor_roles_see_the_report_and_write_only_its_audit_entry(
    report_trial: ReportTrial, personas: Personas, persona: str
) -> None:
    user = getattr(personas, persona)
    before, events = rows_besides_reports(), AuditEvent.objects.count()
    response = personas.client(user).get(PAGE, QUERY)
    assert response.status_code == 200
    assert re.search(
        rb'<figure id="figure-consort" class="figure"><img src="data:image/svg\+xml;base64,',
        response.content,
    )
    assert rows_besides_reports() == before
    assert AuditEvent.objects.count() == events + 1
    run = ReportRun.objects.get()
    event = AuditEvent.objects.for_row(run).get()
    assert (event.actor_username, event.action, event.operation) == (
        user.username,
        "generate_report",
        "insert",
    )
    stored = json.loads(event.new_values or "{}")
    assert stored["cutoff_date"] == EARLY.isoformat()
    assert stored["snapshot_hash"] == run.snapshot_hash
    assert run.snapshot_hash.encode() in response.content
    assert (run.format, run.language) == ("html", "en")


def test_the_sponsor_level_report_covers_every_site(
    report_trial: ReportTrial, personas: Personas
) -> None:
    text = page_text(personas.client(personas.statistician).get(PAGE, QUERY).content)
    assert report_trial.a1.code in text and report_trial.b1.code in text
    assert ReportRun.objects.get().sites == "01,02"


def test_an_investigator_sees_the_report_of_their_own_site_only(
    report_trial: ReportTrial, personas: Personas
) -> None:
    a = page_text(personas.client(personas.investigator_a).get(PAGE, QUERY).content)
    b = page_text(personas.client(personas.investigator_b).get(PAGE, QUERY).content)
    assert report_trial.a1.code in a and report_trial.b1.code not in a
    assert report_trial.b1.code in b and report_trial.a1.code not in b
    assert 'id="report-sites">01<' in a
    assert "1/2 (50.0 %)" in a  # A1 of A1 and A2
    assert sorted(ReportRun.objects.values_list("sites", flat=True)) == ["01", "02"]


@pytest.mark.parametrize(
    "persona", ["nurse_a", "cell_therapy_a", "pharmacovigilance_a", "monitor_a", "admin"]
)
def test_roles_without_view_reports_are_refused(personas: Personas, persona: str) -> None:
    client = personas.client(getattr(personas, persona))
    assert client.get(PAGE).status_code == 403
    assert client.get(PDF).status_code == 403
    assert not ReportRun.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(personas: Personas) -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_page_is_read_only(personas: Personas) -> None:
    client = personas.client(personas.statistician)
    assert client.post(PAGE, QUERY).status_code == 405
    assert client.post(PDF, QUERY).status_code == 405
    assert not ReportRun.objects.exists()


def test_the_page_speaks_the_users_language_and_links_the_pdf(
    report_trial: ReportTrial, personas: Personas
) -> None:
    response = personas.client(personas.statistician).get("/fr/report/", QUERY)
    text = response.content.decode()
    assert "Critère principal : tolérance" in text
    assert 'href="/fr/report/report.pdf?cutoff=2015-08-01"' in text
    assert ReportRun.objects.get().language == "fr"


def test_the_pdf_is_downloaded_and_audited(report_trial: ReportTrial, personas: Personas) -> None:
    response = personas.client(personas.statistician).get(PDF, QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "msc-ssc-report-2015-08-01-en.pdf" in response["Content-Disposition"]
    run = ReportRun.objects.get()
    assert run.format == "pdf"
    assert run.content_sha256 == hashlib.sha256(response.content).hexdigest()


def test_a_bad_cutoff_falls_back_to_today_and_says_so(personas: Personas) -> None:
    response = personas.client(personas.statistician).get(PAGE, {"cutoff": "not-a-date"})
    assert response.status_code == 200
    assert b"Enter a valid date" in response.content
