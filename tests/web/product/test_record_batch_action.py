"""An MSC batch made from the chosen donor's harvest, with its QC results."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from sclerocell.web.product import actions
from sclerocell.web.product.models import Batch
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import refusal
from tests.web.trial.conftest import Trial


@pytest.fixture
def harvested(trial: Trial, personas: Personas) -> object:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    return factories.harvest(personas, donor)


def test_it_records_the_batch_for_the_donors_recipient(
    trial: Trial, personas: Personas, harvested: object
) -> None:
    batch = factories.batch(personas, harvested)  # type: ignore[arg-type]
    assert batch.recipient == trial.recipient_a
    assert batch.cell_count == factories.CELLS
    assert batch.sterility == "no_growth"


def test_results_can_be_missing_at_first(personas: Personas, harvested: object) -> None:
    batch = factories.batch(personas, harvested, sterility="", viability_pct=None)  # type: ignore[arg-type]
    assert (batch.sterility, batch.viability_pct) == ("", None)


def test_a_batch_number_is_unique_and_codable(personas: Personas, harvested: object) -> None:
    factories.batch(personas, harvested, number="L2015-001")  # type: ignore[arg-type]
    refusal(lambda: factories.batch(personas, harvested, number="L2015-001"), "number")  # type: ignore[arg-type]
    refusal(lambda: factories.batch(personas, harvested, number="L 2015|2"), "number")  # type: ignore[arg-type]


def test_a_batch_is_made_after_the_harvest(personas: Personas, harvested: object) -> None:
    refusal(
        lambda: factories.batch(personas, harvested, manufactured_on=factories.INCLUDED_ON),  # type: ignore[arg-type]
        "manufactured_on",
    )


def test_an_impossible_percentage_is_refused_at_its_field(
    personas: Personas, harvested: object
) -> None:
    refusal(lambda: factories.batch(personas, harvested, cd73_pct=101), "cd73_pct")  # type: ignore[arg-type]
    refusal(lambda: factories.batch(personas, harvested, sterility="maybe"), "sterility")  # type: ignore[arg-type]
    assert not Batch.objects.exists()


def test_a_nurse_does_not_record_batches(personas: Personas, harvested: object) -> None:
    with pytest.raises(PermissionDenied):
        actions.record_batch(
            harvested,  # type: ignore[arg-type]
            by=personas.nurse_a,
            number="X",
            manufactured_on=factories.MADE_ON,
            passages=1,
            cell_count=1,
            volume_ml=1,
            expires_at=factories.at(factories.INFUSED_ON, 20),
        )
