"""The page that records when a report of a serious event was sent."""

from __future__ import annotations

from django.urls import reverse

from sclerocell.web.safety.models import SafetyReport
from tests.web.conftest import Personas
from tests.web.safety.conftest import Safety


def url(safety: Safety) -> str:
    return reverse("safety:record_report", args=[safety.recipient_a.code, safety.event_a.pk])


def test_the_investigator_records_the_sponsor_notification(
    safety: Safety, personas: Personas
) -> None:
    client = personas.client(personas.investigator_a)
    page = client.get(url(safety))
    assert [value for value, _ in page.context["form"].fields["kind"].choices] == [
        "sponsor_notification"
    ]
    response = client.post(
        url(safety), {"kind": "sponsor_notification", "sent_at": "2015-05-05T16:00"}
    )
    assert response.status_code == 302
    assert SafetyReport.objects.get().kind == "sponsor_notification"


def test_pharmacovigilance_records_the_susar_report(safety: Safety, personas: Personas) -> None:
    response = personas.client(personas.pharmacovigilance_a).post(
        url(safety),
        {"kind": "susar_initial", "sent_at": "2015-05-12T09:30", "reference": "ANSM-42"},
    )
    assert response.status_code == 302
    assert SafetyReport.objects.get().reference == "ANSM-42"


def test_a_future_time_is_refused_at_its_field(safety: Safety, personas: Personas) -> None:
    response = personas.client(personas.investigator_a).post(
        url(safety), {"kind": "sponsor_notification", "sent_at": "2999-01-01T00:00"}
    )
    assert response.status_code == 400
    assert "sent_at" in response.context["form"].errors
    assert "Cette date et cette heure sont dans le futur." in response.content.decode()


def test_a_nurse_cannot_record_a_susar_report(safety: Safety, personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(
        url(safety), {"kind": "susar_initial", "sent_at": "2015-05-12T09:30"}
    )
    assert response.status_code == 400  # not among the reports she may record
    assert not SafetyReport.objects.exists()


def test_the_safety_board_cannot_record_a_report(safety: Safety, personas: Personas) -> None:
    response = personas.client(personas.safety_board).post(
        url(safety), {"kind": "sponsor_notification", "sent_at": "2015-05-05T16:00"}
    )
    assert response.status_code == 403
