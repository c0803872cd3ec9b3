"""POST /api/recipients."""

from __future__ import annotations

from django.test import Client

from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.trial.conftest import bearer

URL = "/api/recipients"
BODY = {"site": 1, "birth_year": 1966, "birth_month": 4, "sex": "F", "screening_date": "2016-02-15"}


def post(user: object, body: dict[str, object], **token: bool) -> object:
    return Client().post(
        URL,
        body,
        content_type="application/json",
        headers=bearer(user, **token),  # type: ignore[arg-type]
    )


def test_it_registers_a_recipient_and_returns_the_code(personas: Personas) -> None:
    response = post(personas.nurse_a, BODY)
    assert response.status_code == 201  # type: ignore[attr-defined]
    code = response.json()["code"]  # type: ignore[attr-defined]
    assert Participant.objects.get().code == code
    assert code.startswith("01-R001-")


def test_it_answers_field_errors_in_french(personas: Personas) -> None:
    response = post(personas.nurse_a, {**BODY, "screening_date": "2999-01-01"})
    assert response.status_code == 422  # type: ignore[attr-defined]
    errors = response.json()["errors"]  # type: ignore[attr-defined]
    assert errors == {"screening_date": ["Cette date est dans le futur."]}
    assert not Participant.objects.exists()


def test_another_sites_number_is_not_found(personas: Personas) -> None:
    assert post(personas.investigator_a, {**BODY, "site": 2}).status_code == 404  # type: ignore[attr-defined]
    assert not Participant.objects.exists()


def test_a_read_only_role_is_refused(personas: Personas) -> None:
    assert post(personas.monitor_a, BODY).status_code == 403  # type: ignore[attr-defined]
    assert not Participant.objects.exists()


def test_a_read_only_token_is_refused(personas: Personas) -> None:
    assert post(personas.nurse_a, BODY, read_only=True).status_code == 403  # type: ignore[attr-defined]
    assert not Participant.objects.exists()
