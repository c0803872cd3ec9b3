"""The screening log: everyone screened at the user's sites, screen failures with their reasons,
the first boxes of the CONSORT diagram."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sclerocell.web.screening import actions
from tests.web.conftest import Personas
from tests.web.screening.conftest import DAY, MRSS_20, complete_recipient, sign
from tests.web.trial.conftest import Trial

URL = reverse("screening:log")


@pytest.fixture
def failure(trial: Trial, personas: Personas) -> Trial:
    """Site A's recipient signed not eligible on R-I3c (mRSS 8)."""
    complete_recipient(trial.recipient_a, personas.nurse_a, personas.investigator_a)
    low = {site: min(score, 1) for site, score in MRSS_20.items()}
    actions.add_skin_score(trial.recipient_a, by=personas.nurse_a, date=DAY, sites=low)
    sign(trial.recipient_a, personas.investigator_a, "not_eligible")
    return trial


def test_it_lists_everyone_screened_with_the_reasons_of_screen_failures(
    failure: Trial, personas: Personas
) -> None:
    response = personas.client(personas.nurse_a).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-code="{failure.recipient_a.code}" data-decision="not_eligible"' in html
    assert f'data-code="{failure.donor_a.code}" data-decision=""' in html
    row = next(r for r in response.context["rows"] if r.participant == failure.recipient_a)
    assert row.reasons == ["R-I3c"]


def test_it_counts_the_first_boxes_of_the_consort_diagram(
    failure: Trial, personas: Personas
) -> None:
    recipients, donors = personas.client(personas.nurse_a).get(URL).context["boxes"]
    assert (recipients.screened, recipients.eligible, recipients.not_eligible) == (1, 0, 1)
    assert recipients.not_eligible_reasons == [("R-I3c", 1)]
    assert (donors.screened, donors.undecided) == (1, 1)


def test_it_shows_only_the_users_sites(failure: Trial, personas: Personas) -> None:
    html = personas.client(personas.nurse_a).get(URL).content.decode()
    assert failure.recipient_b.code not in html
    other = personas.client(personas.investigator_b).get(URL).content.decode()
    assert failure.recipient_b.code in other
    assert failure.recipient_a.code not in other


def test_a_role_that_does_not_see_participants_is_refused(trial: Trial, personas: Personas) -> None:
    assert personas.client(personas.safety_board).get(URL).status_code == 403


def test_it_needs_a_bounded_number_of_queries(
    failure: Trial, personas: Personas, django_assert_max_num_queries: Any
) -> None:
    client = personas.client(personas.nurse_a)
    client.get(URL)
    with django_assert_max_num_queries(22):  # 17 measured
        client.get(URL)
