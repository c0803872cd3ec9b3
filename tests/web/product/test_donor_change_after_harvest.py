"""A bag is infused only if it comes from the donor chosen now (ADR 0004, amendment).

The donor may still change after a harvest or a release (the donor withdrew, was found unfit),
with a reason; from then on every batch of the former donor is refused at the release, the
bedside check and the infusion, each time naming both donors.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sclerocell.web.product import actions, chain
from sclerocell.web.product.label_pdf import product_code
from sclerocell.web.product.models import Batch, BedsideCheckAttempt
from sclerocell.web.trial import actions as trial_actions
from sclerocell.web.trial.models import DonorSelection, Participant
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import refusal
from tests.web.trial.conftest import new_donor

D = datetime.date
CHANGED_ON = D(2015, 4, 14)
REASON = "First donor withdrew consent after the harvest"


def _recipient(batch: Batch) -> Participant:
    return Participant.objects.get(pk=batch.recipient_id)


def second_donor(personas: Personas, recipient: Participant) -> Participant:
    by = personas.investigator_a
    return factories.eligible(new_donor(recipient, by), by)


def change_donor(personas: Personas, recipient: Participant) -> Participant:
    """A second sibling chosen instead, with the reason; returns the new donor."""
    donor = second_donor(personas, recipient)
    trial_actions.select_donor(
        recipient, by=personas.investigator_a, donor=donor, date=CHANGED_ON, reason=REASON
    )
    return donor


def test_changing_the_donor_after_a_release_names_the_batches_it_makes_unusable(
    released: Batch, personas: Personas
) -> None:
    recipient = _recipient(released)
    donor = second_donor(personas, recipient)
    text = refusal(
        lambda: trial_actions.select_donor(
            recipient, by=personas.investigator_a, donor=donor, date=CHANGED_ON
        ),
        "reason",
    )
    assert (
        f"Batches {released.number} come from {released.harvest.donor.code}: after this change "
        f"they are never released, checked at the bedside or infused for {recipient.code}."
    ) in text
    assert DonorSelection.objects.get(recipient=recipient).donor == released.harvest.donor


def test_with_a_reason_the_change_is_allowed_after_a_release(
    released: Batch, personas: Personas
) -> None:
    recipient = _recipient(released)
    donor = change_donor(personas, recipient)
    assert chain.chosen_donor(recipient) == donor
    assert chain.expected_batch(recipient) is None  # the former donor's batch is not expected
    assert chain.chain_of(recipient).former_donor_batches() == [released]


def test_a_bag_of_the_former_donor_is_refused_at_the_bedside_naming_both_donors(
    released: Batch, personas: Personas
) -> None:
    recipient = _recipient(released)
    former = released.harvest.donor
    donor = change_donor(personas, recipient)
    attempt = factories.check(personas, recipient, released)
    assert not attempt.accepted
    assert set(attempt.refusals) == {"former_donor", "no_batch"}
    assert (
        f"The bag (batch {released.number}) is from donor {former.code}, but the donor chosen "
        f"for {recipient.code} is now {donor.code}: a former donor's batch is never infused."
    ) in attempt.message_en
    assert f"provient du donneur {former.code}" in attempt.message_fr
    assert f"est désormais {donor.code}" in attempt.message_fr
    assert BedsideCheckAttempt.objects.filter(recipient=recipient, accepted=False).count() == 1


def test_a_former_donors_bag_is_refused_even_beside_a_released_bag_of_the_new_donor(
    released: Batch, personas: Personas
) -> None:
    recipient = _recipient(released)
    new_batch = _new_donor_released_batch(personas, recipient)
    attempt = factories.check(personas, recipient, released, at=factories.at(D(2015, 5, 6), 9))
    assert not attempt.accepted
    assert {"former_donor", "product_mismatch"} <= set(attempt.refusals)
    assert attempt.batch == new_batch  # the batch expected is the new donor's


def test_a_batch_of_the_former_donor_is_not_released_but_can_be_rejected(
    released: Batch, personas: Personas
) -> None:
    recipient = _recipient(released)
    former = released.harvest.donor
    second = factories.batch(
        personas,
        released.harvest,
        number="L2015-second",
        expires_at=factories.at(D(2015, 4, 30), 0),
    )
    donor = change_donor(personas, recipient)
    text = refusal(lambda: factories.release(personas, second), "__all__")
    assert (
        f"Batch {second.number} was made from the marrow of donor {former.code}, but the donor "
        f"chosen for {recipient.code} is now {donor.code}: it cannot be released for this "
        "recipient. Record its rejection instead."
    ) in text
    decision = factories.release(personas, second, outcome="rejected")
    assert not decision.released


def test_an_accepted_check_does_not_carry_a_former_donors_bag_into_the_infusion(
    released: Batch, personas: Personas
) -> None:
    recipient = _recipient(released)
    former = released.harvest.donor
    assert factories.check(personas, recipient, released).accepted
    donor = change_donor(personas, recipient)
    text = refusal(
        lambda: actions.record_infusion(
            recipient, by=factories.nurse(personas, recipient), **factories.infusion_fields()
        ),
        "__all__",
    )
    assert (
        f"Batch {released.number}, checked at the bedside, is from donor {former.code}, but "
        f"the donor chosen for {recipient.code} is now {donor.code}: it is not infused."
    ) in text
    assert Participant.objects.get(pk=recipient.pk).infusion_date is None


def test_the_french_refusal_names_both_donors_too(released: Batch, personas: Personas) -> None:
    recipient = _recipient(released)
    former = released.harvest.donor
    assert factories.check(personas, recipient, released).accepted
    donor = change_donor(personas, recipient)
    with translation.override("fr"):
        with pytest.raises(ValidationError) as error:
            actions.record_infusion(
                recipient, by=factories.nurse(personas, recipient), **factories.infusion_fields()
            )
        text = " ".join(error.value.message_dict["__all__"])
    assert f"provient du donneur {former.code}" in text
    assert f"le donneur retenu pour {recipient.code} est désormais {donor.code}" in text


def _new_donor_released_batch(personas: Personas, recipient: Participant) -> Batch:
    """The new donor included, harvested, a batch made and released in May 2015."""
    donor = change_donor(personas, recipient)
    donor = trial_actions.enrol(donor, by=personas.investigator_a, date=D(2015, 4, 20))
    harvest = factories.harvest(personas, donor, harvested_on=D(2015, 4, 21))
    made = factories.batch(
        personas,
        harvest,
        number="L2015-new-donor",
        manufactured_on=D(2015, 5, 5),
        expires_at=factories.at(D(2015, 5, 6), 20),
    )
    factories.release(personas, made, at=factories.at(D(2015, 5, 5), 17))
    return made


def test_the_new_donors_batch_goes_through_to_the_infusion(
    released: Batch, personas: Personas
) -> None:
    recipient = _recipient(released)
    made = _new_donor_released_batch(personas, recipient)
    assert chain.expected_batch(recipient) == made
    attempt = factories.check(personas, recipient, made, at=factories.at(D(2015, 5, 6), 9, 30))
    assert attempt.accepted, attempt.message_en
    infusion = actions.record_infusion(
        recipient,
        by=factories.nurse(personas, recipient),
        **factories.infusion_fields(
            started_at=factories.at(D(2015, 5, 6), 9, 40),
            ended_at=factories.at(D(2015, 5, 6), 10, 20),
        ),
    )
    assert infusion.batch == made
    assert product_code(made).split("|")[3] == made.harvest.donor.code
