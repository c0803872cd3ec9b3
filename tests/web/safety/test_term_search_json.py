"""The picker's JSON search, used by the optional search-as-you-type script."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from tests.web.conftest import Personas

with translation.override("fr"):
    URL = reverse("safety:term_search")


def test_it_answers_the_terms_found(personas: Personas) -> None:
    response = personas.client(personas.nurse_a).get(URL, {"q": "fièvre"})
    first = response.json()["results"][0]
    assert (first["meddra_code"], first["french"], first["grades"]) == (
        "10016558",
        "fièvre",
        [1, 2, 3, 4, 5],
    )


def test_it_needs_a_login(db: None) -> None:
    from django.test import Client

    assert Client().get(URL, {"q": "fever"}).status_code == 302
