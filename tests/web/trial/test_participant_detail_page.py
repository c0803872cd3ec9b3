"""The participant page: an identity-free summary, consents, donors, and allowed buttons."""

from __future__ import annotations

from django.urls import reverse

from sclerocell.web.trial import actions
from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial


def url(code: str) -> str:
    return reverse("trial:participant_detail", args=[code])


def test_it_shows_the_summary_consents_and_donors_of_a_recipient(
    trial: Trial, personas: Personas
) -> None:
    page = personas.client(personas.investigator_a).get(url(trial.recipient_a.code))
    content = page.content.decode()
    assert page.status_code == 200
    assert "06/1970" in content
    assert trial.consent_a.form_version in content
    assert trial.donor_a.code in content


def test_it_links_a_donor_to_its_recipient(trial: Trial, personas: Personas) -> None:
    content = personas.client(personas.monitor_a).get(url(trial.donor_a.code)).content.decode()
    assert url(trial.recipient_a.code) in content
    assert "frère ou sœur" in content


def test_it_shows_the_action_buttons_to_an_investigator(trial: Trial, personas: Personas) -> None:
    content = personas.client(personas.investigator_a).get(url(trial.recipient_a.code))
    text = content.content.decode()
    for name in ("edit_participant", "end_participation", "record_consent"):
        assert reverse(f"trial:{name}", args=[trial.recipient_a.code]) in text
    assert reverse("screening:overview", args=[trial.recipient_a.code]) in text


def test_it_shows_no_write_button_to_a_monitor(trial: Trial, personas: Personas) -> None:
    text = personas.client(personas.monitor_a).get(url(trial.recipient_a.code)).content.decode()
    prefix = url(trial.recipient_a.code)
    assert f'href="{prefix}edit/"' not in text
    assert f'href="{prefix}end/"' not in text
    assert f'href="{prefix}consents/new/"' not in text
    assert f'href="{prefix}donors/new/"' not in text


def test_it_links_the_audit_trail_for_roles_that_may_read_it(
    trial: Trial, personas: Personas
) -> None:
    from sclerocell.web.trial.views import audit_url

    link = audit_url(trial.recipient_a)
    if link is None:
        return  # the audit app does not publish the page yet
    assert (
        link
        in personas.client(personas.monitor_a).get(url(trial.recipient_a.code)).content.decode()
    )
    statistician_page = personas.client(personas.statistician).get(url(trial.recipient_a.code))
    assert link not in statistician_page.content.decode()


def test_it_hides_the_buttons_once_the_participation_has_ended(
    trial: Trial, personas: Personas
) -> None:
    import datetime

    actions.end_participation(
        trial.recipient_a,
        by=personas.investigator_a,
        date=datetime.date(2015, 5, 1),
        cause="withdrawal",
        reason="Withdrew before inclusion",
    )
    text = personas.client(personas.investigator_a).get(url(trial.recipient_a.code))
    content = text.content.decode()
    assert reverse("trial:end_participation", args=[trial.recipient_a.code]) not in content
    assert "retiré(e) de l’étude" in content


def test_another_sites_participant_is_not_found(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.investigator_a).get(url(trial.recipient_b.code))
    assert response.status_code == 404


def test_a_code_with_a_wrong_check_digit_is_not_found(trial: Trial, personas: Personas) -> None:
    code = trial.recipient_a.code
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    assert personas.client(personas.investigator_a).get(url(wrong)).status_code == 404
