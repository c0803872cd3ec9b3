"""The page that records the infusion date (placeholder for the infusion record issue)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial, included


def url(code: str) -> str:
    return reverse("trial:record_infusion", args=[code])


def test_a_nurse_records_the_infusion_date(trial: Trial, personas: Personas) -> None:
    included(trial.recipient_a, personas.investigator_a)
    response = personas.client(personas.nurse_a).post(
        url(trial.recipient_a.code), {"date": "2015-04-10"}
    )
    assert response.status_code == 302
    trial.recipient_a.refresh_from_db()
    assert trial.recipient_a.infusion_date == datetime.date(2015, 4, 10)


def test_changing_a_recorded_infusion_date_needs_a_reason(trial: Trial, personas: Personas) -> None:
    included(trial.recipient_a, personas.investigator_a)
    client = personas.client(personas.nurse_a)
    client.post(url(trial.recipient_a.code), {"date": "2015-04-10"})
    response = client.post(url(trial.recipient_a.code), {"date": "2015-04-11"})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]


def test_a_cell_therapy_unit_cannot_record_it(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.cell_therapy_a).get(url(trial.recipient_a.code))
    assert response.status_code == 403
