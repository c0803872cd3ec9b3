"""GET /api/ctcae/terms."""

from __future__ import annotations

from tests.web.conftest import Personas
from tests.web.safety.api_helpers import call


def test_it_finds_a_term_by_its_french_name_with_its_grades(personas: Personas) -> None:
    response = call("get", personas.nurse_a, "/api/ctcae/terms?q=naus%C3%A9e")
    first = response.json()[0]
    assert (first["meddra_code"], first["french"]) == ("10028813", "nausée")
    assert list(first["grades"]) == ["1", "2", "3"]
