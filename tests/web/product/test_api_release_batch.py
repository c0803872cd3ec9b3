"""POST /api/participants/{code}/release: the signed decision."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.test import Client

from sclerocell.web.product.models import ReleaseDecision
from tests.web.conftest import PASSWORD, Personas
from tests.web.product import factories
from tests.web.trial.conftest import Trial, bearer


def post(user: object, code: str, body: dict[str, object]) -> object:
    return Client().post(
        f"/api/participants/{code}/release",
        data=body,
        content_type="application/json",
        headers=bearer(user),  # type: ignore[arg-type]
    )


def made(trial: Trial, personas: Personas, **overrides: object) -> object:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    fresh = factories.at(datetime.date(2999, 1, 1), 0)
    return factories.batch(
        personas, factories.harvest(personas, donor), **{"expires_at": fresh, **overrides}
    )


def body(made_batch: object, **overrides: object) -> dict[str, object]:
    return {
        "batch": made_batch.number,  # type: ignore[attr-defined]
        "outcome": "released",
        "recipient_weight_kg": "70",
        "meaning_confirmed": True,
        "password": PASSWORD,
        **overrides,
    }


def test_the_unit_signs_the_release(trial: Trial, personas: Personas) -> None:
    batch = made(trial, personas)
    response = post(personas.cell_therapy_a, trial.recipient_a.code, body(batch))
    assert response.status_code == 201, response.json()  # type: ignore[attr-defined]
    data = response.json()  # type: ignore[attr-defined]
    assert (data["outcome"], data["conforming"], data["signer"]) == (
        "released",
        True,
        "cell_therapy_a",
    )


def test_out_of_specification_without_deviation_it_answers_422(
    trial: Trial, personas: Personas
) -> None:
    batch = made(trial, personas, viability_pct=Decimal(60))
    response = post(personas.cell_therapy_a, trial.recipient_a.code, body(batch))
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "deviation" in response.json()["errors"]  # type: ignore[attr-defined]
    assert not ReleaseDecision.objects.exists()


def test_an_unknown_batch_answers_422(trial: Trial, personas: Personas) -> None:
    batch = made(trial, personas)
    response = post(personas.cell_therapy_a, trial.recipient_a.code, body(batch, batch="NOPE"))
    assert response.status_code == 422  # type: ignore[attr-defined]


def test_an_investigator_is_refused(trial: Trial, personas: Personas) -> None:
    batch = made(trial, personas)
    assert post(personas.investigator_a, trial.recipient_a.code, body(batch)).status_code == 403  # type: ignore[attr-defined]
