"""The inclusions page: the study frame in force, capacity, dose levels, decisions."""

from __future__ import annotations

from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url
from tests.web.trial.conftest import Trial

URL = french_url("product:enrolment")


def test_it_shows_the_frame_and_the_inclusions_against_capacity(
    trial: Trial, personas: Personas
) -> None:
    factories.included_pair(trial.recipient_a, personas.investigator_a)
    factories.included_pair(trial.recipient_b, personas.investigator_b)
    page = personas.client(personas.investigator_a).get(URL)
    content = page.content.decode()
    assert "2 / 20" in content
    assert "2014" in content and "2018" in content
    assert trial.recipient_a.code in content
    assert trial.recipient_b.code not in content  # counted, not named
    assert "non : en attente du comité de surveillance" in content


def test_the_safety_board_role_does_not_see_participants_here(personas: Personas) -> None:
    assert personas.client(personas.safety_board).get(URL).status_code == 403
