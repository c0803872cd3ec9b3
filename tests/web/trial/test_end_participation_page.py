"""The page that ends a participation."""

from __future__ import annotations

from django.urls import reverse

from tests.web.conftest import Personas
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
