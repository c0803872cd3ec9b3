"""The buttons of the life cycle: complete (site), verify (monitor), lock (data manager)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from sclerocell.web.followup import actions
from sclerocell.web.followup.models import OutcomeForm
from tests.web.conftest import Personas
from tests.web.followup.conftest import VITALS, FollowUp, enter, mrss_sites, through


@pytest.fixture
def draft(followup: FollowUp, personas: Personas) -> OutcomeForm:
    visit = followup.visit("M3", datetime.date(2015, 7, 16), by=personas.nurse_a)
    return enter(visit, "vitals", personas.nurse_a, **VITALS)


def url(form: OutcomeForm) -> str:
    visit = form.visit
    return reverse(
        "followup:form_transition", args=[visit.participant.code, visit.pk, form.SPEC.code]
    )


def post(personas: Personas, who: str, form: OutcomeForm, transition: str) -> object:
    client = personas.client(getattr(personas, who))
    return client.post(url(form), {"transition": transition, "version": form.version})


def status(form: OutcomeForm) -> str:
    form.refresh_from_db()
    return form.status


def test_a_nurse_marks_a_form_complete(draft: OutcomeForm, personas: Personas) -> None:
    assert post(personas, "nurse_a", draft, "complete").status_code == 302  # type: ignore[attr-defined]
    assert status(draft) == "complete"


def test_completing_shows_what_is_missing_at_the_fields(
    followup: FollowUp, personas: Personas
) -> None:
    visit = followup.visit("M3", datetime.date(2015, 7, 16), by=personas.nurse_a)
    form = enter(visit, "vitals", personas.nurse_a, systolic_bp=120)
    response = post(personas, "nurse_a", form, "complete")
    assert response.status_code == 400  # type: ignore[attr-defined]
    row = next(
        r for s in response.context["sections"] for r in s["rows"] if r["spec"].name == "weight"
    )  # type: ignore[attr-defined]
    assert row["refused"] == ["Nécessaire pour compléter le formulaire."]


def test_the_monitor_verifies_and_the_site_cannot(draft: OutcomeForm, personas: Personas) -> None:
    draft = actions.complete_form(draft, by=personas.nurse_a)
    assert post(personas, "nurse_a", draft, "verify").status_code == 403  # type: ignore[attr-defined]
    assert post(personas, "monitor_a", draft, "verify").status_code == 302  # type: ignore[attr-defined]
    assert status(draft) == "verified"


def test_a_statistician_cannot_move_a_form(draft: OutcomeForm, personas: Personas) -> None:
    assert post(personas, "statistician", draft, "complete").status_code == 403  # type: ignore[attr-defined]
    assert status(draft) == "draft"


def test_a_stale_button_is_refused(draft: OutcomeForm, personas: Personas) -> None:
    old = draft.version
    actions.save_form(draft.visit, "vitals", by=personas.nurse_a, values={"spo2": 97})
    client = personas.client(personas.nurse_a)
    response = client.post(url(draft), {"transition": "complete", "version": old})
    assert response.status_code == 409
    assert status(draft) == "draft"


def test_the_data_manager_cannot_lock_a_form_with_an_open_query(
    followup: FollowUp, personas: Personas
) -> None:
    form = enter(followup.baseline_a, "mrss", personas.nurse_a, total_reported=20, **mrss_sites(22))
    form = through(form, personas, last="signed")
    response = post(personas, "data_manager_a", form, "lock")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Clôturez la ou les 1 requête(s)" in response.content.decode()  # type: ignore[attr-defined]
    assert status(form) == "signed"


def test_the_data_manager_locks_a_signed_form(draft: OutcomeForm, personas: Personas) -> None:
    form = through(draft, personas, last="signed")
    assert post(personas, "data_manager_a", form, "lock").status_code == 302  # type: ignore[attr-defined]
    assert status(form) == "locked"


def test_an_unknown_step_is_a_bad_request(draft: OutcomeForm, personas: Personas) -> None:
    assert post(personas, "nurse_a", draft, "sign").status_code == 400  # type: ignore[attr-defined]
    assert post(personas, "nurse_a", draft, "publish").status_code == 400  # type: ignore[attr-defined]


def test_the_form_page_offers_only_the_steps_the_role_may_take(
    draft: OutcomeForm, personas: Personas
) -> None:
    draft = actions.complete_form(draft, by=personas.nurse_a)
    page = reverse("followup:form", args=[draft.visit.participant.code, draft.visit.pk, "vitals"])
    monitor = personas.client(personas.monitor_a).get(page).content.decode()
    nurse = personas.client(personas.nurse_a).get(page).content.decode()
    assert 'value="verify"' in monitor and 'value="verify"' not in nurse
