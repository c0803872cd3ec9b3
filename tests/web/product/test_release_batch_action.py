"""The signed release decision against the specification (DOMAIN.md §8)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from sclerocell.web.product import actions
from sclerocell.web.product.models import Batch, ReleaseDecision
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import refusal
from tests.web.trial.conftest import Trial


@pytest.fixture
def made(trial: Trial, personas: Personas) -> Batch:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    return factories.batch(personas, factories.harvest(personas, donor))


def test_a_conforming_batch_is_released_with_an_electronic_signature(
    made: Batch, personas: Personas
) -> None:
    decision = factories.release(personas, made)
    assert decision.released and decision.conforming
    assert decision.signed_by == personas.cell_therapy_a
    assert (decision.signer_username, decision.signer_role) == (
        "cell_therapy_a",
        "cell_therapy_unit",
    )
    assert decision.signed_at == factories.at(factories.MADE_ON, 17)
    assert made.number in decision.meaning
    assert decision.specification_version.startswith("v1")
    assert {line["outcome"] for line in decision.assessment} == {"pass"}


def test_out_of_specification_it_is_refused_without_a_deviation(
    trial: Trial, personas: Personas
) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    low = factories.batch(personas, factories.harvest(personas, donor), viability_pct=Decimal("65"))
    text = refusal(lambda: factories.release(personas, low), "deviation")
    assert "not conforming — Viability (fail)" in text
    assert "cannot be released without a documented deviation" in text
    assert not ReleaseDecision.objects.exists()


def test_a_missing_result_also_needs_a_deviation(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    pending = factories.batch(personas, factories.harvest(personas, donor), mycoplasma="")
    assert "Mycoplasma (missing)" in refusal(lambda: factories.release(personas, pending))


def test_out_of_specification_it_is_released_under_a_documented_deviation(
    trial: Trial, personas: Personas
) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    low = factories.batch(personas, factories.harvest(personas, donor), viability_pct=Decimal("65"))
    decision = factories.release(
        personas, low, deviation="Viability 65 %: approved by the coordinating investigator"
    )
    assert decision.released and not decision.conforming
    assert "sous la déviation documentée" in decision.meaning


def test_a_wrong_password_signs_nothing(made: Batch, personas: Personas) -> None:
    assert "Wrong password" in refusal(
        lambda: factories.release(personas, made, password="not-the-password"), "password"
    )
    assert not ReleaseDecision.objects.exists()


def test_the_meaning_of_the_signature_must_be_confirmed(made: Batch, personas: Personas) -> None:
    refusal(lambda: factories.release(personas, made, meaning_confirmed=False), "meaning_confirmed")


def test_an_expired_batch_is_not_released(made: Batch, personas: Personas) -> None:
    late = factories.at(factories.INFUSED_ON, 21)
    assert "expired" in refusal(lambda: factories.release(personas, made, at=late))


def test_a_batch_is_decided_once(made: Batch, personas: Personas) -> None:
    factories.release(personas, made)
    made.refresh_from_db()
    assert "already decided" in refusal(lambda: factories.release(personas, made))


def test_a_rejection_needs_no_deviation(made: Batch, personas: Personas) -> None:
    decision = factories.release(personas, made, outcome="rejected")
    assert not decision.released
    assert "rejette le lot" in decision.meaning


@pytest.mark.parametrize("persona", ["investigator_a", "nurse_a", "monitor_a"])
def test_only_the_cell_therapy_unit_releases(made: Batch, personas: Personas, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        actions.release_batch(
            made,
            by=getattr(personas, persona),
            outcome="released",
            password="x",
            meaning_confirmed=True,
            recipient_weight_kg=70,
        )
