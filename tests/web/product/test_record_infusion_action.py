"""The infusion record: after an accepted bedside check, the dose computed and flagged."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sclerocell.web.product import actions
from sclerocell.web.product.models import Batch, Infusion
from sclerocell.web.trial.models import Participant
from sclerocell.web.trial.stages import Stage, stage_of
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import refusal
from tests.web.trial.conftest import Trial


@pytest.fixture
def checked(released: Batch, personas: Personas) -> Participant:
    """The recipient of the released batch, after an accepted bedside check."""
    recipient = Participant.objects.get(pk=released.recipient_id)
    assert factories.check(personas, recipient, released).accepted
    return recipient


def infuse(personas: Personas, recipient: Participant, **overrides: object) -> Infusion:
    return actions.record_infusion(
        recipient, by=personas.nurse_a, **factories.infusion_fields(**overrides)
    )


def test_it_records_the_infusion_and_sets_the_infusion_date(
    checked: Participant, personas: Personas
) -> None:
    infusion = infuse(personas, checked)
    assert infusion.cells_infused == factories.CELLS
    assert infusion.dose_per_kg == pytest.approx(1e6)
    assert (infusion.dose_flagged, infusion.rate_flagged) == (False, False)
    assert infusion.vital_signs.count() == 3
    checked.refresh_from_db()
    assert checked.infusion_date == factories.INFUSED_ON
    assert stage_of(checked) is Stage.FOLLOW_UP


@pytest.mark.parametrize(
    ("volume", "flagged"),
    [("45.0", False), ("44.9", True), ("50.0", False)],
)
def test_the_dose_is_flagged_outside_ten_percent_of_the_target(
    checked: Participant, personas: Personas, volume: str, flagged: bool
) -> None:
    """45 mL of the 50 mL bag: 63 × 10⁶ cells for 70 kg, exactly −10 % — not flagged."""
    infusion = infuse(personas, checked, volume_ml=Decimal(volume))
    assert infusion.dose_flagged is flagged


def test_a_dose_above_the_target_by_more_than_ten_percent_is_flagged(
    checked: Participant, personas: Personas
) -> None:
    infusion = infuse(personas, checked, weight_kg=Decimal("63.0"))  # 70e6 / 63 = +11.1 %
    assert infusion.dose_flagged
    assert infusion.dose_deviation == pytest.approx(70 / 63 - 1)


def test_a_fast_rate_is_flagged(checked: Participant, personas: Personas) -> None:
    assert infuse(personas, checked, rate_ml_per_min=Decimal("2.5")).rate_flagged


def test_no_infusion_without_an_accepted_bedside_check(
    released: Batch, trial: Trial, personas: Personas
) -> None:
    recipient = Participant.objects.get(pk=released.recipient_id)
    assert "Do the bedside check first" in refusal(lambda: infuse(personas, recipient))
    factories.check(personas, recipient, released, recipient_code=trial.recipient_b.code)
    assert "Do the bedside check first" in refusal(lambda: infuse(personas, recipient))
    assert not Infusion.objects.exists()


def test_the_infusion_starts_after_its_bedside_check(
    checked: Participant, personas: Personas
) -> None:
    early = factories.at(factories.INFUSED_ON, 9, 0)
    refusal(lambda: infuse(personas, checked, started_at=early), "started_at")
    late = factories.at(factories.INFUSED_ON, 12, 0)
    refusal(
        lambda: infuse(
            personas, checked, started_at=late, ended_at=late + datetime.timedelta(hours=1)
        ),
        "started_at",
    )


def test_it_ends_after_it_starts(checked: Participant, personas: Personas) -> None:
    start = factories.at(factories.INFUSED_ON, 9, 40)
    refusal(lambda: infuse(personas, checked, ended_at=start), "ended_at")


def test_no_more_than_the_bag_is_infused(checked: Participant, personas: Personas) -> None:
    refusal(lambda: infuse(personas, checked, volume_ml=Decimal(55)), "volume_ml")


def test_vital_signs_before_during_and_after_are_required(
    checked: Participant, personas: Personas
) -> None:
    vitals = {"before": factories.VITALS, "after": factories.VITALS}
    refusal(lambda: infuse(personas, checked, vital_signs=vitals), "during_systolic_mmhg")


def test_a_reaction_is_described(checked: Participant, personas: Personas) -> None:
    refusal(lambda: infuse(personas, checked, immediate_reaction=True), "reaction_description")
    infusion = infuse(
        personas, checked, immediate_reaction=True, reaction_description="Chills, grade 1"
    )
    assert infusion.immediate_reaction


def test_a_recipient_is_infused_once(checked: Participant, personas: Personas) -> None:
    infuse(personas, checked)
    checked.refresh_from_db()
    assert "already recorded" in refusal(lambda: infuse(personas, checked))


def test_a_donor_is_never_infused(released: Batch, personas: Personas) -> None:
    donor = released.harvest.donor
    with pytest.raises(ValidationError):
        actions.record_infusion(donor, by=personas.nurse_a, **factories.infusion_fields())


def test_the_cell_therapy_unit_does_not_record_infusions(
    checked: Participant, personas: Personas
) -> None:
    with pytest.raises(PermissionDenied):
        actions.record_infusion(checked, by=personas.cell_therapy_a, **factories.infusion_fields())
