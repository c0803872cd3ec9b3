"""The donor list: each donor with its recipient and relationship, site-scoped."""

from __future__ import annotations

from django.urls import reverse

from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial

URL = reverse("trial:donor_list")


def test_it_lists_the_donors_of_the_users_site_with_their_recipient(
    trial: Trial, personas: Personas
) -> None:
    page = personas.client(personas.nurse_a).get(URL).content.decode()
    assert trial.donor_a.code in page
    assert trial.recipient_a.code in page
    assert "frère ou sœur" in page
    assert trial.donor_b.code not in page


def test_it_searches_donors_by_code(trial: Trial, personas: Personas) -> None:
    page = personas.client(personas.statistician).get(URL, {"q": "02-D"}).content.decode()
    assert trial.donor_b.code in page
    assert trial.donor_a.code not in page


def test_it_does_not_offer_the_follow_up_stage_for_donors(personas: Personas) -> None:
    page = personas.client(personas.nurse_a).get(URL).content.decode()
    assert 'value="follow_up"' not in page


def test_an_unknown_stage_filter_shows_an_unfiltered_list(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.nurse_a).get(URL, {"stage": "nonsense"})
    assert response.status_code == 200
    assert trial.donor_a.code in response.content.decode()
