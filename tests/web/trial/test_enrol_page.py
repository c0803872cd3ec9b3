"""The page that records the inclusion date."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.trial.conftest import Trial


def url(code: str) -> str:
    return reverse("trial:enrol", args=[code])


def test_an_investigator_includes_an_eligible_recipient(trial: Trial, personas: Personas) -> None:
    factories.ready_to_include(trial.recipient_a, personas.investigator_a)
    response = personas.client(personas.investigator_a).post(
        url(trial.recipient_a.code), {"date": "2015-04-01"}
    )
    assert response.status_code == 302
    trial.recipient_a.refresh_from_db()
    assert trial.recipient_a.inclusion_date == datetime.date(2015, 4, 1)


def test_a_participant_not_yet_eligible_is_not_included(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.investigator_a).post(
        url(trial.recipient_a.code), {"date": "2015-04-01"}
    )
    assert response.status_code == 400
    assert "Seul un participant éligible peut être inclus." in response.content.decode()


def test_a_nurse_cannot_include(trial: Trial, personas: Personas) -> None:
    assert personas.client(personas.nurse_a).get(url(trial.recipient_a.code)).status_code == 403
