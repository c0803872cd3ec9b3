"""The page where pharmacovigilance assesses a serious event (SUSAR or not)."""

from __future__ import annotations

from django.urls import reverse

from tests.web.conftest import Personas
from tests.web.safety.conftest import Safety


def url(safety: Safety) -> str:
    return reverse("safety:assess_event", args=[safety.recipient_a.code, safety.event_a.pk])


def test_pharmacovigilance_records_the_assessment(safety: Safety, personas: Personas) -> None:
    response = personas.client(personas.pharmacovigilance_a).post(
        url(safety), {"susar": "yes", "version": "1"}
    )
    assert response.status_code == 302
    safety.event_a.refresh_from_db()
    assert safety.event_a.susar is True


def test_it_asks_a_reason_to_depart_from_the_suggestion(safety: Safety, personas: Personas) -> None:
    response = personas.client(personas.pharmacovigilance_a).post(url(safety), {"susar": "no"})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors


def test_an_investigator_cannot_assess(safety: Safety, personas: Personas) -> None:
    assert personas.client(personas.investigator_a).get(url(safety)).status_code == 403
