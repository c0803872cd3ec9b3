"""The page that records the eligibility decision (placeholder for the sign-off issue)."""

from __future__ import annotations

from django.urls import reverse

from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial


def url(code: str) -> str:
    return reverse("trial:record_eligibility", args=[code])


def test_an_investigator_records_a_screen_failure(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.investigator_a).post(
        url(trial.recipient_a.code), {"eligibility": "not_eligible", "date": "2015-03-20"}
    )
    assert response.status_code == 302
    trial.recipient_a.refresh_from_db()
    assert trial.recipient_a.eligibility == "not_eligible"


def test_a_date_before_the_screening_is_refused_at_the_field(
    trial: Trial, personas: Personas
) -> None:
    response = personas.client(personas.investigator_a).post(
        url(trial.recipient_a.code), {"eligibility": "eligible", "date": "2015-01-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["date"]


def test_a_nurse_cannot_sign_eligibility(trial: Trial, personas: Personas) -> None:
    assert personas.client(personas.nurse_a).get(url(trial.recipient_a.code)).status_code == 403
