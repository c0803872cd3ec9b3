"""The page that records the withdrawal of a consent."""

from __future__ import annotations

from django.urls import reverse

from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial


def url(code: str, consent_id: int) -> str:
    return reverse("trial:withdraw_consent", args=[code, consent_id])


def test_it_records_the_withdrawal(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(
        url(trial.recipient_a.code, trial.consent_a.pk),
        {"date": "2015-09-01", "reason": "Letter from the patient", "version": 1},
    )
    assert response.status_code == 302
    trial.consent_a.refresh_from_db()
    assert str(trial.consent_a.withdrawn_date) == "2015-09-01"


def test_it_requires_a_reason(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(
        url(trial.recipient_a.code, trial.consent_a.pk), {"date": "2015-09-01", "reason": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    trial.consent_a.refresh_from_db()
    assert trial.consent_a.withdrawn_date is None


def test_it_refuses_a_form_opened_before_someone_elses_change(
    trial: Trial, personas: Personas
) -> None:
    response = personas.client(personas.nurse_a).post(
        url(trial.recipient_a.code, trial.consent_a.pk),
        {"date": "2015-09-01", "reason": "x", "version": trial.consent_a.version + 5},
    )
    assert response.status_code == 400
    assert "Quelqu’un d’autre a modifié" in response.content.decode()


def test_another_sites_consent_is_not_found_under_our_participant(
    trial: Trial, personas: Personas
) -> None:
    response = personas.client(personas.nurse_a).get(
        url(trial.recipient_a.code, trial.consent_b.pk)
    )
    assert response.status_code == 404
