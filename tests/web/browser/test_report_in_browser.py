"""End to end in Chromium: the statistician opens the analysis report from the menu, sets the
data cut-off and sees the CONSORT diagram and the primary endpoint."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from sclerocell.web.report.models import ReportRun
from tests.web.browser.conftest import log_in
from tests.web.conftest import Personas
from tests.web.report.conftest import EARLY, make_report_trial


def test_the_statistician_opens_the_report_and_sees_the_consort_diagram(
    page: Page, live_server: object, personas: Personas
) -> None:
    make_report_trial(personas)
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, personas.statistician.username, language="en")

    page.click("nav >> text=Analysis report")
    page.fill("input[name=cutoff]", EARLY.isoformat())
    with page.expect_navigation():
        page.click("form.cutoff-form button[type=submit]")

    # The figures are SVG images (the page's CSP keeps inline SVG from being styled).
    consort = page.locator("#figure-consort img")
    expect(consort).to_be_visible()
    expect(consort).to_have_attribute("alt", "CONSORT flow diagram")
    assert consort.evaluate("img => img.complete && img.naturalWidth > 300")
    svg = consort.evaluate("img => atob(img.src.split(',')[1])")
    assert "Flow diagram (CONSORT)" in svg
    assert "Infused (n = 3)" in svg
    expect(page.locator("#report-cutoff")).to_have_text(EARLY.isoformat())
    expect(page.locator("#tolerance-table")).to_contain_text("1/3 (33.3 %)")
    expect(page.locator("#download-pdf")).to_have_attribute(
        "href", f"/en/report/report.pdf?cutoff={EARLY.isoformat()}"
    )
    assert ReportRun.objects.filter(cutoff_date=EARLY).count() == 1
