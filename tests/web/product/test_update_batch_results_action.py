"""QC results that arrive after the batch was recorded."""

from __future__ import annotations

from decimal import Decimal

from sclerocell.web.product import actions
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import refusal
from tests.web.trial.conftest import Trial


def test_a_missing_result_is_entered_without_a_reason(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    batch = factories.batch(personas, factories.harvest(personas, donor), karyotype="")
    updated = actions.update_batch_results(batch, by=personas.cell_therapy_a, karyotype="normal")
    assert updated.karyotype == "normal"
    assert updated.version == 2


def test_changing_an_entered_result_needs_a_reason(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    batch = factories.batch(personas, factories.harvest(personas, donor))
    refusal(
        lambda: actions.update_batch_results(
            batch, by=personas.cell_therapy_a, viability_pct=Decimal("88")
        ),
        "reason",
    )
    updated = actions.update_batch_results(
        batch, by=personas.cell_therapy_a, viability_pct=Decimal("88"), reason="Recount"
    )
    assert updated.viability_pct == Decimal("88.00")


def test_a_decided_batch_no_longer_changes(released: object, personas: Personas) -> None:
    assert "decided" in refusal(
        lambda: actions.update_batch_results(
            released,  # type: ignore[arg-type]
            by=personas.cell_therapy_a,
            viability_pct=Decimal("50"),
            reason="x",
        )
    )
