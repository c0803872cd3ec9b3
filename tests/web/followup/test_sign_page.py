"""The investigator signs a verified form by re-entering their password; the meaning is shown."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from sclerocell.web.followup.models import OutcomeForm
from tests.web.conftest import PASSWORD, Personas
from tests.web.followup.conftest import VITALS, FollowUp, enter, through


@pytest.fixture
def verified(followup: FollowUp, personas: Personas) -> OutcomeForm:
    visit = followup.visit("M3", datetime.date(2015, 7, 16), by=personas.nurse_a)
    return through(enter(visit, "vitals", personas.nurse_a, **VITALS), personas, last="verified")


def url(form: OutcomeForm) -> str:
    return reverse(
        "followup:sign_form", args=[form.visit.participant.code, form.visit.pk, form.SPEC.code]
    )


def test_the_page_shows_the_values_and_the_meaning_of_the_signature(
    verified: OutcomeForm, personas: Personas
) -> None:
    content = personas.client(personas.investigator_a).get(url(verified)).content.decode()
    assert "En signant, je confirme en tant qu’investigateur" in content
    assert "61.5" in content


def test_a_wrong_password_does_not_sign(verified: OutcomeForm, personas: Personas) -> None:
    response = personas.client(personas.investigator_a).post(
        url(verified), {"password": "guess", "version": verified.version}
    )
    assert response.status_code == 400
    assert response.context["signature"].errors["password"]
    verified.refresh_from_db()
    assert verified.status == "verified"


def test_the_investigator_signs_with_their_password(
    verified: OutcomeForm, personas: Personas
) -> None:
    response = personas.client(personas.investigator_a).post(
        url(verified), {"password": PASSWORD, "version": verified.version}
    )
    assert response.status_code == 302
    verified.refresh_from_db()
    assert (verified.status, verified.signed_by) == ("signed", personas.investigator_a)


@pytest.mark.parametrize("persona", ["nurse_a", "monitor_a", "data_manager_a"])
def test_only_an_investigator_may_open_the_signature_page(
    verified: OutcomeForm, personas: Personas, persona: str
) -> None:
    assert personas.client(getattr(personas, persona)).get(url(verified)).status_code == 403
