"""The safety overview: immediate and late tolerance of each infused recipient."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from tests.web.conftest import Personas
from tests.web.safety.conftest import FEVER, Safety, event

with translation.override("fr"):
    URL = reverse("safety:overview")


def test_a_grade_3_event_in_the_first_ten_days_means_the_infusion_was_not_tolerated(
    safety: Safety, personas: Personas
) -> None:
    event(safety.recipient_a, personas.investigator_a, meddra_code=FEVER, grade=3)
    page = personas.client(personas.safety_board).get(URL)
    rows = {row.participant.code: row for row in page.context["rows"]}
    assert not rows[safety.recipient_a.code].immediate_tolerated
    assert rows[safety.recipient_b.code].immediate_tolerated
    assert [e.term for e in rows[safety.recipient_a.code].severe_early] == ["Lung infection"]
    assert "non tolérée" in page.content.decode()


def test_it_lists_only_the_users_sites(safety: Safety, personas: Personas) -> None:
    page = personas.client(personas.investigator_b).get(URL)
    assert [row.participant.code for row in page.context["rows"]] == [safety.recipient_b.code]
