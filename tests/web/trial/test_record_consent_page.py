"""The page that records a signed consent."""

from __future__ import annotations

from django.urls import reverse

from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial


def url(code: str) -> str:
    return reverse("trial:record_consent", args=[code])


def test_it_records_a_consent_for_a_donor(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(
        url(trial.donor_a.code), {"form_version": "donneur v1.1", "signed_date": "2015-03-05"}
    )
    assert response.status_code == 302
    assert trial.donor_a.consents.get().form_version == "donneur v1.1"


def test_it_shows_an_error_for_a_future_signature(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(
        url(trial.donor_a.code), {"form_version": "v1", "signed_date": "2999-01-01"}
    )
    assert response.status_code == 400
    assert "Cette date est dans le futur." in response.content.decode()
    assert not trial.donor_a.consents.exists()


def test_a_monitor_cannot_record_a_consent(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.monitor_a).post(
        url(trial.donor_a.code), {"form_version": "v1", "signed_date": "2015-03-05"}
    )
    assert response.status_code == 403
    assert not trial.donor_a.consents.exists()
