from playwright.sync_api import Page, expect

from tests.web.browser.conftest import log_in
from tests.web.conftest import Personas


def test_an_investigator_logs_in_and_reads_the_dashboard_in_french(
    page: Page, live_server, personas: Personas
) -> None:
    log_in(page, live_server.url, personas.investigator_a.username)
    expect(page.locator("h1")).to_have_text("Tableau de bord")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_the_language_switch_turns_the_interface_to_english(
    page: Page, live_server, personas: Personas
) -> None:
    log_in(page, live_server.url, personas.investigator_a.username)
    page.click("form.lang button[value=en]")
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(page.locator("html")).to_have_attribute("lang", "en")
