"""The page listing a participant's adverse events, with their period, clocks and reports."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.web.conftest import Personas
from tests.web.safety.conftest import Safety


def url(code: str) -> str:
    return reverse("safety:participant_events", args=[code])


def test_it_shows_the_event_with_its_tolerance_period_and_clocks(
    safety: Safety, personas: Personas
) -> None:
    page = personas.client(personas.investigator_a).get(url(safety.recipient_a.code))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Lung infection" in text and "infection pulmonaire" in text
    assert "précoce (jusqu’à 3 mois)" in text
    assert "déclaration au promoteur" in text and "en retard" in text


def test_a_nurse_sees_the_events_and_may_record_one(safety: Safety, personas: Personas) -> None:
    text = personas.client(personas.nurse_a).get(url(safety.recipient_a.code)).content.decode()
    assert reverse("safety:record_event", args=[safety.recipient_a.code]) in text


def test_the_safety_board_reads_without_any_write_link(safety: Safety, personas: Personas) -> None:
    page = personas.client(personas.safety_board).get(url(safety.recipient_a.code))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Lung infection" in text
    assert reverse("safety:record_event", args=[safety.recipient_a.code]) not in text
    assert "/edit/" not in text and not re.search(r"adverse-events/\d+/report/", text)


def test_another_sites_participant_is_not_found(safety: Safety, personas: Personas) -> None:
    response = personas.client(personas.investigator_a).get(url(safety.recipient_b.code))
    assert response.status_code == 404


def test_the_administrator_is_refused(safety: Safety, personas: Personas) -> None:
    assert personas.client(personas.admin).get(url(safety.recipient_a.code)).status_code == 403


def test_the_participant_page_links_to_the_events(safety: Safety, personas: Personas) -> None:
    detail = reverse("trial:participant_detail", args=[safety.recipient_a.code])
    text = personas.client(personas.nurse_a).get(detail).content.decode()
    assert url(safety.recipient_a.code) in text
