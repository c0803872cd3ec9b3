"""The feasibility page, for the roles that see reports."""

from __future__ import annotations

import pytest

from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url
from tests.web.trial.conftest import Trial

URL = french_url("product:feasibility")


def test_it_shows_counts_and_intervals_for_the_users_sites(
    trial: Trial, personas: Personas
) -> None:
    factories.infused(personas, trial.recipient_a)
    factories.included_pair(trial.recipient_b, personas.investigator_b)
    page = personas.client(personas.data_manager_a).get(URL)
    assert page.status_code == 200
    assert page.context["report"].included == 1  # site A only
    content = page.content.decode()
    assert "perfusé à la dose cible" in content
    assert trial.recipient_a.code not in content and trial.recipient_b.code not in content


def test_a_sponsor_level_role_counts_both_sites(trial: Trial, personas: Personas) -> None:
    factories.included_pair(trial.recipient_a, personas.investigator_a)
    factories.included_pair(trial.recipient_b, personas.investigator_b)
    assert personas.client(personas.statistician).get(URL).context["report"].included == 2


@pytest.mark.parametrize("persona", ["nurse_a", "monitor_a", "cell_therapy_a", "admin"])
def test_roles_without_reports_are_refused(personas: Personas, persona: str) -> None:
    assert personas.client(getattr(personas, persona)).get(URL).status_code == 403
