"""GET /api/safety/clocks."""

from __future__ import annotations

from tests.web.conftest import Personas
from tests.web.safety.api_helpers import call
from tests.web.safety.conftest import Safety


def test_it_lists_the_clocks_of_the_callers_sites(safety: Safety, personas: Personas) -> None:
    body = call("get", personas.pharmacovigilance_a, "/api/safety/clocks").json()
    assert {row["participant"] for row in body} == {safety.recipient_a.code}
    assert [row["status"] for row in body] == ["overdue", "overdue"]


def test_a_nurse_is_refused(safety: Safety, personas: Personas) -> None:
    assert call("get", personas.nurse_a, "/api/safety/clocks").status_code == 403
