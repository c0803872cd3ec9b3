"""The page that registers a donor for a recipient."""

from __future__ import annotations

from django.urls import reverse

from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial

DATA = {
    "relationship": "parent",
    "birth_month": 9,
    "birth_year": 1948,
    "sex": "M",
    "screening_date": "2015-03-10",
}


def url(code: str) -> str:
    return reverse("trial:register_donor", args=[code])


def test_it_registers_a_donor_for_the_recipient(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.investigator_a).post(url(trial.recipient_a.code), DATA)
    donor = Participant.objects.get(recipient=trial.recipient_a, relationship="parent")
    assert response["Location"] == reverse("trial:participant_detail", args=[donor.code])
    assert donor.code.startswith("01-D002-")


def test_it_refuses_an_e_mail_in_the_selection_note(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.investigator_a).post(
        url(trial.recipient_a.code), {**DATA, "selection_note": "voir jean@exemple.fr"}
    )
    assert response.status_code == 400
    assert "adresse e-mail" in response.content.decode()
    assert trial.recipient_a.donors.count() == 1


def test_another_sites_recipient_is_not_found(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.investigator_a).post(url(trial.recipient_b.code), DATA)
    assert response.status_code == 404
    assert trial.recipient_b.donors.count() == 1


def test_a_statistician_cannot_register_a_donor(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.statistician).post(url(trial.recipient_a.code), DATA)
    assert response.status_code == 403
