"""POST /api/participants/{code}/consents."""

from __future__ import annotations

from collections.abc import Mapping

from django.test import Client

from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial, bearer

BODY = {"form_version": "v2.0", "signed_date": "2016-01-04"}


def post(user: object, code: str, body: Mapping[str, object]) -> object:
    return Client().post(
        f"/api/participants/{code}/consents",
        body,
        content_type="application/json",
        headers=bearer(user),  # type: ignore[arg-type]
    )


def test_it_records_a_consent(trial: Trial, personas: Personas) -> None:
    response = post(personas.nurse_a, trial.donor_a.code, BODY)
    assert response.status_code == 201  # type: ignore[attr-defined]
    assert response.json()["form_version"] == "v2.0"  # type: ignore[attr-defined]
    assert trial.donor_a.consents.count() == 1


def test_a_signature_before_the_study_is_refused(trial: Trial, personas: Personas) -> None:
    response = post(personas.nurse_a, trial.donor_a.code, {**BODY, "signed_date": "2013-01-01"})
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "signed_date" in response.json()["errors"]  # type: ignore[attr-defined]


def test_another_sites_participant_is_not_found(trial: Trial, personas: Personas) -> None:
    assert post(personas.nurse_a, trial.donor_b.code, BODY).status_code == 404  # type: ignore[attr-defined]


def test_a_statistician_is_refused(trial: Trial, personas: Personas) -> None:
    assert post(personas.statistician, trial.donor_a.code, BODY).status_code == 403  # type: ignore[attr-defined]
    assert not trial.donor_a.consents.exists()
