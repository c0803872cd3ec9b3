"""The per-site dashboard: milestones per site against the protocol target."""

from __future__ import annotations

from django.urls import reverse

from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.trial.conftest import included, make_trial

URL = reverse("shell:dashboard")


def test_it_counts_the_users_site_against_the_target_of_20(personas: Personas) -> None:
    trial = make_trial(personas)
    included(trial.recipient_a, personas.investigator_a)
    response = personas.client(personas.investigator_a).get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "1 / 20" in content
    assert "receveurs inclus (objectif du protocole)" in content
    assert "Centre B" not in content


def test_it_shows_each_site_of_a_sponsor_level_role(personas: Personas) -> None:
    make_trial(personas)
    content = personas.client(personas.statistician).get(URL).content.decode()
    assert "Hôpital Saint-Louis" in content
    assert "Centre B" in content


def test_it_counts_infusions_and_follow_up(personas: Personas) -> None:
    trial = make_trial(personas)
    factories.infused(personas, trial.recipient_a)
    rows = personas.client(personas.investigator_a).get(URL).context["row_counts"]
    recipients = next(values for row, values in rows if row.kind == "recipient")
    # screened, eligible, included, infused, in follow-up, ended
    assert recipients == [1, 1, 1, 1, 1, 0]


def test_the_safety_board_sees_counts_but_no_participant_link(personas: Personas) -> None:
    make_trial(personas)
    content = personas.client(personas.safety_board).get(URL).content.decode()
    assert "0 / 20" in content
    assert reverse("trial:recipient_list") not in content


def test_the_administrator_sees_no_participant_data(personas: Personas) -> None:
    make_trial(personas)
    response = personas.client(personas.admin).get(URL)
    assert response.status_code == 200
    assert "ne voit pas les données des participants" in response.content.decode()
    assert "row_counts" not in response.context or response.context["row_counts"] == []


def test_the_navigation_links_the_lists_for_roles_that_see_participants(
    personas: Personas,
) -> None:
    nurse_page = personas.client(personas.nurse_a).get(URL).content.decode()
    assert reverse("trial:donor_list") in nurse_page
    admin_page = personas.client(personas.admin).get(URL).content.decode()
    assert reverse("trial:donor_list") not in admin_page


def test_it_needs_few_queries(personas: Personas, django_assert_max_num_queries: object) -> None:
    make_trial(personas)
    client = personas.client(personas.statistician)
    client.get(URL)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        client.get(URL)
