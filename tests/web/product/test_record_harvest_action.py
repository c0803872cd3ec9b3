"""The bone-marrow harvest of the chosen, included donor."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from sclerocell.web.product import actions
from sclerocell.web.product.models import Harvest
from sclerocell.web.trial import actions as trial_actions
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import refusal
from tests.web.trial.conftest import Trial


def test_the_cell_therapy_unit_records_the_harvest(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    harvest = factories.harvest(personas, donor, operator=personas.investigator_a, operator_role="")
    assert harvest.donor == donor
    assert harvest.volume_ml == Decimal("60.0")
    assert harvest.operator == personas.investigator_a


def test_a_donor_not_chosen_is_not_harvested(trial: Trial, personas: Personas) -> None:
    donor = factories.eligible(trial.donor_a, personas.investigator_a)
    text = refusal(lambda: factories.harvest(personas, donor))
    assert "not the one chosen" in text
    assert "Include the donor before the harvest." in text


def test_the_harvest_follows_the_donors_inclusion(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    refusal(
        lambda: factories.harvest(personas, donor, harvested_on=factories.ELIGIBLE_ON),
        "harvested_on",
    )


def test_an_operator_is_named_by_account_or_role(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    assert "Name the operator" in refusal(
        lambda: factories.harvest(personas, donor, operator_role=""), "operator"
    )


def test_an_operator_of_another_site_is_refused(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    refusal(
        lambda: factories.harvest(personas, donor, operator=personas.investigator_b), "operator"
    )


def test_the_operators_role_is_free_text_without_identity(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    refusal(
        lambda: factories.harvest(personas, donor, operator_role="Dr Martin 06 12 34 56 78"),
        "operator_role",
    )
    assert not Harvest.objects.exists()


def test_a_nurse_does_not_record_the_harvest(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    with pytest.raises(PermissionDenied):
        actions.record_harvest(
            donor,
            by=personas.nurse_a,
            harvested_on=factories.HARVESTED_ON,
            puncture_site="sternum",
            volume_ml=10,
            local_anaesthetic="lidocaïne",
            operator_role="x",
        )


def test_an_ended_donor_is_not_harvested(trial: Trial, personas: Personas) -> None:
    _recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    trial_actions.end_participation(
        donor,
        by=personas.investigator_a,
        date=factories.INCLUDED_ON,
        cause="withdrawal",
        reason="x",
    )
    donor.refresh_from_db()
    refusal(lambda: factories.harvest(personas, donor))
