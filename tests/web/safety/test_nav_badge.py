"""The "Safety" link of the navigation and, for those who must report, the overdue count."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from tests.web.conftest import Personas
from tests.web.safety.conftest import Safety

with translation.override("fr"):
    DASHBOARD = reverse("shell:dashboard")


def nav(personas: Personas, user: object) -> str:
    text = personas.client(user).get(DASHBOARD).content.decode()  # type: ignore[arg-type]
    return text[text.index("<nav") : text.index("</nav>")]


def test_pharmacovigilance_sees_every_overdue_clock_of_its_sites(
    safety: Safety, personas: Personas
) -> None:
    # Site A's SUSAR: the sponsor notification and the report to the authorities are overdue.
    assert "2 déclarations en retard" in nav(personas, personas.pharmacovigilance_a)


def test_the_investigator_sees_the_clock_he_answers_for(safety: Safety, personas: Personas) -> None:
    assert "1 déclaration en retard" in nav(personas, personas.investigator_a)


def test_roles_that_do_not_report_see_no_badge(safety: Safety, personas: Personas) -> None:
    for user in (personas.monitor_a, personas.safety_board, personas.data_manager_a):
        text = nav(personas, user)
        assert reverse("safety:overview") in text
        assert "en retard" not in text


def test_roles_without_the_safety_pages_see_no_link(safety: Safety, personas: Personas) -> None:
    for user in (personas.nurse_a, personas.statistician, personas.admin):
        assert reverse("safety:overview") not in nav(personas, user)
