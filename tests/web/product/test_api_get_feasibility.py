"""GET /api/feasibility: counts and intervals over the caller's sites."""

from __future__ import annotations

from django.test import Client

from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.trial.conftest import Trial, bearer


def test_it_counts_the_included_recipients_of_the_callers_sites(
    trial: Trial, personas: Personas
) -> None:
    factories.infused(personas, trial.recipient_a)
    response = Client().get("/api/feasibility", headers=bearer(personas.statistician))
    assert response.status_code == 200
    data = response.json()
    steps = {step["step"]: (step["count"], step["total"]) for step in data["steps"]}
    assert data["included"] == 1
    assert steps["infused_at_target_dose"] == (1, 1)
    assert data["days_median"] == 14.0


def test_a_role_without_reports_is_refused(personas: Personas) -> None:
    response = Client().get("/api/feasibility", headers=bearer(personas.nurse_a))
    assert response.status_code == 403
