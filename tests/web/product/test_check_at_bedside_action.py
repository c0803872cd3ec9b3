"""The bedside check: every wrong case refused with its reason, the refusal itself recorded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from sclerocell.web.product import actions
from sclerocell.web.product.label_pdf import product_code
from sclerocell.web.product.models import Batch, BedsideCheckAttempt
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import refusal
from tests.web.trial.conftest import Trial


def recipient_of(batch: Batch) -> Participant:
    return Participant.objects.get(pk=batch.recipient_id)


def test_the_right_bag_at_the_right_bed_is_accepted(released: Batch, personas: Personas) -> None:
    attempt = factories.check(personas, recipient_of(released), released)
    assert attempt.accepted
    assert attempt.refusals == []
    assert attempt.batch == released
    assert attempt.product_code == product_code(released)
    assert "Bedside check passed" in attempt.message_en
    assert "Contrôle au lit du patient conforme" in attempt.message_fr


def test_another_recipients_wristband_is_refused(
    released: Batch, trial: Trial, personas: Personas
) -> None:
    attempt = factories.check(
        personas, recipient_of(released), released, recipient_code=trial.recipient_b.code
    )
    assert not attempt.accepted
    assert attempt.refusals == ["recipient_mismatch"]
    assert "INFUSION REFUSED — Recipient mismatch" in attempt.message_en


def test_another_bag_is_refused(released: Batch, trial: Trial, personas: Personas) -> None:
    other = factories.released_batch(personas, trial.recipient_b)
    attempt = factories.check(
        personas, recipient_of(released), released, product_code=product_code(other)
    )
    assert set(attempt.refusals) >= {"recipient_mismatch", "product_mismatch"}


def test_an_unreleased_batch_is_refused(trial: Trial, personas: Personas) -> None:
    recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    made = factories.batch(personas, factories.harvest(personas, donor))
    attempt = factories.check(personas, recipient, made)
    assert attempt.refusals == ["unreleased_batch"]


def test_a_rejected_batch_is_refused(trial: Trial, personas: Personas) -> None:
    recipient, donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    made = factories.batch(personas, factories.harvest(personas, donor))
    factories.release(personas, made, outcome="rejected")
    assert factories.check(personas, recipient, made).refusals == ["unreleased_batch"]


def test_an_expired_batch_is_refused(released: Batch, personas: Personas) -> None:
    attempt = factories.check(
        personas, recipient_of(released), released, at=factories.at(factories.INFUSED_ON, 20, 1)
    )
    assert attempt.refusals == ["expired_batch"]
    assert "Expired batch" in attempt.message_en


def test_a_wrong_dose_for_todays_weight_is_refused(released: Batch, personas: Personas) -> None:
    attempt = factories.check(personas, recipient_of(released), released, weight_kg=Decimal(80))
    assert attempt.refusals == ["wrong_dose"]
    assert "Dose outside tolerance" in attempt.message_en


def test_a_damaged_code_is_refused(released: Batch, personas: Personas) -> None:
    code = product_code(released)
    damaged = code[:-1] + ("0" if code[-1] != "0" else "1")
    attempt = factories.check(personas, recipient_of(released), released, product_code=damaged)
    assert attempt.refusals == ["damaged_code"]


def test_a_scan_that_is_not_a_study_code_is_stored_redacted(
    released: Batch, personas: Personas
) -> None:
    attempt = factories.check(
        personas,
        recipient_of(released),
        released,
        recipient_code="IPP 80012345",
        product_code="0612345678",
    )
    assert not attempt.accepted
    assert attempt.recipient_code == "[not a study code: 12 characters]"
    assert attempt.product_code == "[not a product code: 10 characters]"


def test_every_attempt_is_kept(released: Batch, trial: Trial, personas: Personas) -> None:
    recipient = recipient_of(released)
    factories.check(personas, recipient, released, recipient_code=trial.recipient_b.code)
    factories.check(personas, recipient, released)
    assert list(
        BedsideCheckAttempt.objects.order_by("checked_at", "pk").values_list("accepted", flat=True)
    ) == [False, True]


def test_no_batch_at_all_is_a_recorded_refusal(trial: Trial, personas: Personas) -> None:
    recipient, _donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    attempt = actions.check_at_bedside(
        recipient,
        by=personas.nurse_a,
        product_code="MSC|v1|X|Y|Z|20150415T1800Z|00000000",
        recipient_code=recipient.code,
        weight_kg=70,
    )
    assert attempt.refusals == ["no_batch"]
    assert "No batch has been made" in attempt.message_en


def test_an_empty_scan_is_asked_again_without_recording(
    released: Batch, personas: Personas
) -> None:
    refusal(
        lambda: factories.check(personas, recipient_of(released), released, product_code=" "),
        "product_code",
    )
    assert not BedsideCheckAttempt.objects.exists()


def test_the_cell_therapy_unit_does_not_check_at_the_bedside(
    released: Batch, personas: Personas
) -> None:
    with pytest.raises(PermissionDenied):
        actions.check_at_bedside(
            recipient_of(released),
            by=personas.cell_therapy_a,
            product_code=product_code(released),
            recipient_code=released.recipient.code,
            weight_kg=70,
        )
