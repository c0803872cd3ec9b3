"""The release page: the assessment of each pending batch, and the signed decision."""

from __future__ import annotations

import datetime
from decimal import Decimal

from sclerocell.web.product.models import ReleaseDecision
from tests.web.conftest import PASSWORD, Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url
from tests.web.trial.conftest import Trial


def url(code: str) -> str:
    return french_url("product:release_batch", code)


def pending(trial: Trial, personas: Personas, **overrides: object) -> object:
    """A batch awaiting its decision, expiring far ahead (the page signs at today's time)."""
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    fresh = factories.at(datetime.date(2999, 1, 1), 0)
    return factories.batch(
        personas, factories.harvest(personas, donor), **{"expires_at": fresh, **overrides}
    )


def test_it_shows_the_assessment_before_signing(trial: Trial, personas: Personas) -> None:
    batch = pending(trial, personas, viability_pct=Decimal(65))
    content = personas.client(personas.cell_therapy_a).get(url(trial.recipient_a.code))
    text = content.content.decode()
    assert "Viabilité 65 % (limite ≥ 70 %) : NON CONFORME." in text
    assert batch.number in text  # type: ignore[attr-defined]


def test_the_unit_signs_the_release(trial: Trial, personas: Personas) -> None:
    batch = pending(trial, personas)
    response = personas.client(personas.cell_therapy_a).post(
        url(trial.recipient_a.code),
        {
            "batch": batch.pk,  # type: ignore[attr-defined]
            "outcome": "released",
            "recipient_weight_kg": "70",
            "meaning_confirmed": "on",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    decision = ReleaseDecision.objects.get()
    assert decision.released
    assert decision.meaning.startswith("Je soussigné(e), cell_therapy_a")


def test_out_of_specification_the_page_asks_for_the_deviation(
    trial: Trial, personas: Personas
) -> None:
    batch = pending(trial, personas, viability_pct=Decimal(65))
    response = personas.client(personas.cell_therapy_a).post(
        url(trial.recipient_a.code),
        {
            "batch": batch.pk,  # type: ignore[attr-defined]
            "outcome": "released",
            "recipient_weight_kg": "70",
            "meaning_confirmed": "on",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 400
    errors = str(response.context["form"].errors["deviation"])
    assert "Libération impossible sans déviation documentée" in errors
    assert not ReleaseDecision.objects.exists()


def test_a_wrong_password_is_shown_at_the_password(trial: Trial, personas: Personas) -> None:
    batch = pending(trial, personas)
    response = personas.client(personas.cell_therapy_a).post(
        url(trial.recipient_a.code),
        {
            "batch": batch.pk,  # type: ignore[attr-defined]
            "outcome": "released",
            "recipient_weight_kg": "70",
            "meaning_confirmed": "on",
            "password": "wrong",
        },
    )
    assert response.status_code == 400
    assert "Mot de passe erroné" in str(response.context["form"].errors["password"])


def test_an_investigator_cannot_release(trial: Trial, personas: Personas) -> None:
    assert (
        personas.client(personas.investigator_a).get(url(trial.recipient_a.code)).status_code == 403
    )
