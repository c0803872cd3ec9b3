"""The page that corrects a participant, with a reason."""

from __future__ import annotations

from django.urls import reverse

from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial


def url(code: str) -> str:
    return reverse("trial:edit_participant", args=[code])


def data(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "birth_month": 6,
        "birth_year": 1971,
        "sex": "F",
        "screening_date": "2015-03-02",
        "reason": "Checked against the source document",
        "version": 1,
    }
    values.update(overrides)
    return values


def test_it_saves_a_correction_with_its_reason(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(url(trial.recipient_a.code), data())
    assert response.status_code == 302
    trial.recipient_a.refresh_from_db()
    assert trial.recipient_a.birth_year == 1971


def test_it_shows_the_current_values(trial: Trial, personas: Personas) -> None:
    form = personas.client(personas.nurse_a).get(url(trial.recipient_a.code)).context["form"]
    assert form.initial["birth_year"] == 1970
    assert form.initial["version"] == trial.recipient_a.version


def test_it_requires_a_reason(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(url(trial.recipient_a.code), data(reason=""))
    assert response.status_code == 400
    trial.recipient_a.refresh_from_db()
    assert trial.recipient_a.birth_year == 1970


def test_a_stale_form_does_not_overwrite_a_newer_change(trial: Trial, personas: Personas) -> None:
    client = personas.client(personas.nurse_a)
    assert client.post(url(trial.recipient_a.code), data(birth_year=1972)).status_code == 302
    second = personas.client(personas.investigator_a).post(
        url(trial.recipient_a.code), data(birth_year=1969)
    )
    assert second.status_code == 400
    trial.recipient_a.refresh_from_db()
    assert trial.recipient_a.birth_year == 1972


def test_a_donors_form_has_the_relationship(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(
        url(trial.donor_a.code),
        data(relationship="cousin", birth_year=1972, birth_month=2, sex="M"),
    )
    assert response.status_code == 302
    trial.donor_a.refresh_from_db()
    assert trial.donor_a.relationship == "cousin"


def test_a_data_manager_cannot_edit(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.data_manager_a).post(url(trial.recipient_a.code), data())
    assert response.status_code == 403
