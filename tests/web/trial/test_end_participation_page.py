"""The page that ends a participation."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.trial.conftest import Trial


def url(code: str) -> str:
    return reverse("trial:end_participation", args=[code])


def test_an_investigator_records_a_withdrawal(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.investigator_a).post(
        url(trial.recipient_a.code),
        {"cause": "withdrawal", "date": "2015-05-01", "reason": "Consent withdrawn"},
    )
    assert response.status_code == 302
    trial.recipient_a.refresh_from_db()
    assert (trial.recipient_a.end_cause, str(trial.recipient_a.end_date)) == (
        "withdrawal",
        "2015-05-01",
    )


def test_completing_before_two_years_of_follow_up_is_refused(
    trial: Trial, personas: Personas
) -> None:
    response = personas.client(personas.investigator_a).post(
        url(trial.recipient_a.code),
        {"cause": "completed", "date": "2015-05-01", "reason": "x"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["cause"]
    trial.recipient_a.refresh_from_db()
    assert trial.recipient_a.end_date is None


def test_a_safety_board_member_cannot_end_a_participation(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.safety_board).post(
        url(trial.recipient_a.code), {"cause": "death", "date": "2015-05-01", "reason": "x"}
    )
    assert response.status_code == 403


def test_a_death_entered_here_is_sent_to_its_grade_5_adverse_event(
    trial: Trial, personas: Personas
) -> None:
    recipient = factories.infused(personas, trial.recipient_a)
    client = personas.client(personas.investigator_a)
    with translation.override("en"):
        page = client.get(url(recipient.code)).content.decode()
        response = client.post(
            url(recipient.code),
            {"cause": "death", "date": "2016-01-10", "reason": "Reported by the family"},
        )
    assert "A death is recorded as a grade 5 adverse event with its cause" in page
    assert response.status_code == 400
    assert "Record the death as a grade 5 adverse event, with its cause" in " ".join(
        response.context["form"].errors["cause"]
    )
    recipient.refresh_from_db()
    assert recipient.end_date is None


def test_the_french_page_says_the_same_at_the_cause(trial: Trial, personas: Personas) -> None:
    recipient = factories.infused(personas, trial.recipient_a)
    with translation.override("fr"):
        response = personas.client(personas.investigator_a).post(
            url(recipient.code), {"cause": "death", "date": "2016-01-10", "reason": "x"}
        )
    assert "Enregistrez le décès comme un événement indésirable de grade 5" in " ".join(
        response.context["form"].errors["cause"]
    )


def test_the_reason_for_the_end_shows_on_the_participant_page(
    trial: Trial, personas: Personas
) -> None:
    client = personas.client(personas.investigator_a)
    client.post(
        url(trial.recipient_a.code),
        {"cause": "withdrawal", "date": "2015-05-01", "reason": "Moved abroad, consent withdrawn"},
    )
    trial.recipient_a.refresh_from_db()
    assert trial.recipient_a.end_reason == "Moved abroad, consent withdrawn"
    detail = reverse("trial:participant_detail", args=[trial.recipient_a.code])
    assert "Moved abroad, consent withdrawn" in client.get(detail).content.decode()
