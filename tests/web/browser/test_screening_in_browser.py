"""End to end in Chromium: an investigator fills screening forms, watches the verdict change, and
signs the eligibility with their password."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from sclerocell.web.screening.catalogue import FINDING_BY_SLUG
from sclerocell.web.screening.models import EligibilitySignature
from sclerocell.web.trial.models import Participant
from tests.web.browser.conftest import log_in
from tests.web.conftest import PASSWORD, Personas
from tests.web.screening.conftest import MRSS_20, complete_donor, complete_recipient
from tests.web.trial.conftest import make_trial, new_consent

HISTORY = FINDING_BY_SLUG["history"].codes


def criterion(page: Page, criterion_id: str) -> Locator:
    return page.locator(f'#criteria li[data-criterion="{criterion_id}"]')


def test_an_investigator_screens_a_recipient_and_signs_the_eligibility(
    page: Page, live_server: object, personas: Personas
) -> None:
    trial = make_trial(personas)
    new_consent(trial.donor_a, personas.nurse_a)
    complete_donor(trial.donor_a, personas.nurse_a, personas.investigator_a)
    complete_recipient(
        trial.recipient_a,
        personas.nurse_a,
        personas.investigator_a,
        skin_score=False,
        history=False,
    )
    base = live_server.url  # type: ignore[attr-defined]
    log_in(page, base, personas.investigator_a.username)

    # From the participant's page to the screening page: the skin score is still missing.
    page.goto(f"{base}/fr/participants/{trial.recipient_a.code}/")
    page.click("text=Pré-inclusion et éligibilité")
    expect(page.locator("#verdict")).to_have_attribute("data-status", "unknown")
    expect(page.locator('#tree tr[data-criterion="R-I3c"]')).to_have_attribute(
        "data-status", "unknown"
    )

    # The history form: every item answered "absent" / "negative".
    page.click("nav.tabs >> text=Antécédents, infections, expositions, grossesse")
    for code in HISTORY:
        page.check(f"input[name='{code}-answer'][value='no']")
    page.click("#questions-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Enregistré")
    expect(criterion(page, "R-E4")).to_have_attribute("data-status", "not_met")
    expect(criterion(page, "R-I3c")).to_have_attribute("data-status", "unknown")

    # The 17-site skin score grid: R-I3c goes from unknown to met, and so does the verdict.
    page.click("nav.tabs >> text=Score cutané (mRSS)")
    page.fill("#mrss-form input[name=date]", "2015-02-25")
    for site, score in MRSS_20.items():
        page.select_option(f"#mrss-form select[name={site}]", str(score))
    page.click("#mrss-form button[type=submit]")
    expect(criterion(page, "R-I3c")).to_have_attribute("data-status", "met")
    expect(page.locator("#verdict")).to_have_attribute("data-status", "met")

    # The sign-off: the meaning, the password, the signature.
    page.click("nav.tabs >> text=Signature de l’éligibilité")
    expect(page.locator("#meaning")).to_contain_text("remplit tous les critères d’éligibilité")
    page.fill("#sign-form input[name=password]", "wrong password")
    page.click("#sign-form button[type=submit]")
    expect(page.locator("#sign-form .errorlist")).to_contain_text("Ce n’est pas votre mot de passe")
    page.fill("#sign-form input[name=password]", PASSWORD)
    page.click("#sign-form button[type=submit]")
    expect(page.locator("#signature")).to_have_attribute("data-valid", "true")
    expect(page.locator("#signature")).to_contain_text(personas.investigator_a.username)

    assert Participant.objects.get(pk=trial.recipient_a.pk).eligibility == "eligible"
    assert EligibilitySignature.objects.filter(participant=trial.recipient_a).count() == 1
