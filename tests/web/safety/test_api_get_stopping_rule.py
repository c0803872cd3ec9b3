"""GET /api/safety/stopping-rule."""

from __future__ import annotations

import pytest

from sclerocell.followup.stopping_rule import assess
from tests.web.conftest import Personas
from tests.web.safety.api_helpers import call
from tests.web.safety.conftest import Safety


def test_it_answers_the_rule_per_level_and_overall(safety: Safety, personas: Personas) -> None:
    body = call("get", personas.safety_board, "/api/safety/stopping-rule").json()
    assert [level["level"] for level in body["levels"]] == [1, 2]
    assert body["levels"][0]["probability"] == pytest.approx(assess(2, 2).probability)
    assert body["overall"]["treated"] == 2
    assert body["dose_level_source"] == "inclusion order"
    assert len(body["boundaries"]) == 20


def test_a_nurse_is_refused(safety: Safety, personas: Personas) -> None:
    assert call("get", personas.nurse_a, "/api/safety/stopping-rule").status_code == 403
