"""The stopping-rule page: per level and overall, the numbers of followup.stopping_rule."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from sclerocell.followup.stopping_rule import assess, stopping_boundaries
from tests.web.conftest import Personas
from tests.web.safety.conftest import Safety

with translation.override("fr"):
    URL = reverse("safety:stopping_rule").replace("/fr/", "/en/", 1)


def test_its_numbers_match_followup_stopping_rule(safety: Safety, personas: Personas) -> None:
    # Both recipients are dose level 1 (ranks 1 and 2); each had a grade 3 suspected infection.
    page = personas.client(personas.safety_board).get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    expected = assess(2, 2)
    assert f"{expected.probability:.4f}" in text
    assert page.context["state"].level(1).assessment == expected
    assert page.context["state"].level(2).assessment == assess(0, 0)
    assert page.context["state"].overall == expected
    assert f"{assess(0, 0).probability:.4f}" in text
    assert page.context["state"].boundaries == stopping_boundaries()
    for boundary in stopping_boundaries():
        assert boundary.probability is not None
        assert f"<td>{boundary.treated}</td><td>{boundary.min_toxicities}</td>" in text
        assert f"{boundary.probability:.4f}" in text


def test_it_names_only_the_users_sites_recipients(safety: Safety, personas: Personas) -> None:
    page = personas.client(personas.investigator_a).get(URL)
    text = page.content.decode()
    assert safety.recipient_a.code in text
    assert safety.recipient_b.code not in text
    assert page.context["state"].overall.treated == 2  # the rule itself counts every site


def test_the_decision_follows_the_rule(safety: Safety, personas: Personas) -> None:
    text = personas.client(personas.safety_board).get(URL).content.decode()
    decision = '<strong class="status-not_met">stop</strong>' in text
    assert decision == assess(2, 2).stop
