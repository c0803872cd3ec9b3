"""A wrong password at an electronic signature counts toward the login lockout.

Shown on the batch release; the eligibility and form signatures go through the same check
(``accounts.signing.check_signature_password``).
"""

from __future__ import annotations

import datetime
from typing import Any

from axes.models import AccessAttempt
from django.test import Client

from sclerocell.web.product.models import ReleaseDecision
from tests.web.conftest import PASSWORD, Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url
from tests.web.trial.conftest import Trial


def release(client: Client, code: str, batch: Any, password: str) -> Any:
    return client.post(
        french_url("product:release_batch", code),
        {
            "batch": batch.pk,
            "outcome": "released",
            "recipient_weight_kg": "70",
            "meaning_confirmed": "on",
            "password": password,
        },
    )


def pending(trial: Trial, personas: Personas) -> Any:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    fresh = factories.at(datetime.date(2999, 1, 1), 0)
    return factories.batch(personas, factories.harvest(personas, donor), expires_at=fresh)


def test_a_wrong_signature_password_is_a_failed_login(trial: Trial, personas: Personas) -> None:
    batch = pending(trial, personas)
    client = personas.client(personas.cell_therapy_a)
    release(client, trial.recipient_a.code, batch, "wrong")
    attempt = AccessAttempt.objects.get(username=personas.cell_therapy_a.username)
    assert attempt.failures_since_start == 1


def test_at_the_limit_nothing_is_signed_even_with_the_right_password(
    trial: Trial, personas: Personas, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    batch = pending(trial, personas)
    client = personas.client(personas.cell_therapy_a)
    for _ in range(3):
        release(client, trial.recipient_a.code, batch, "wrong")
    response = release(client, trial.recipient_a.code, batch, PASSWORD)
    assert response.status_code == 400
    assert "Trop de mots de passe erronés" in str(response.context["form"].errors["password"])
    assert not ReleaseDecision.objects.exists()


def test_the_lockout_from_signatures_also_closes_the_login(
    trial: Trial, personas: Personas, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    batch = pending(trial, personas)
    client = personas.client(personas.cell_therapy_a)
    for _ in range(2):
        release(client, trial.recipient_a.code, batch, "wrong")
    response = Client().post(
        french_url("accounts:login"),
        {"username": personas.cell_therapy_a.username, "password": PASSWORD},
    )
    assert response.status_code == 429


def test_below_the_limit_the_right_password_signs(
    trial: Trial, personas: Personas, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    batch = pending(trial, personas)
    client = personas.client(personas.cell_therapy_a)
    for _ in range(2):
        release(client, trial.recipient_a.code, batch, "wrong")
    response = release(client, trial.recipient_a.code, batch, PASSWORD)
    assert response.status_code == 302
    assert ReleaseDecision.objects.get().released
