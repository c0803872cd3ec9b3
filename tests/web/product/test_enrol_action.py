"""Inclusion: eligibility, consent and a chosen eligible donor; capacity, calendar, cohorts."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from sclerocell.web.trial import actions
from sclerocell.web.trial.models import Enrolment, InclusionCounter
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import refusal
from tests.web.trial.conftest import Trial, new_recipient

D = datetime.date
INCLUDED = factories.INCLUDED_ON


def test_it_includes_a_recipient_with_rank_and_dose_cohort(
    trial: Trial, personas: Personas
) -> None:
    recipient, _donor = factories.ready_to_include(trial.recipient_a, personas.investigator_a)
    included = actions.enrol(recipient, by=personas.investigator_a, date=INCLUDED)
    assert included.inclusion_date == INCLUDED
    assert included.code == trial.recipient_a.code  # the study code stays the one of screening
    enrolment = Enrolment.objects.get(participant=included)
    assert (enrolment.rank, enrolment.dose_level, enrolment.target_cells_per_kg) == (1, 1, 1e6)
    assert enrolment.frame_version == "v1"


def test_it_refuses_a_recipient_not_found_eligible(trial: Trial, personas: Personas) -> None:
    text = refusal(
        lambda: actions.enrol(trial.recipient_a, by=personas.investigator_a, date=INCLUDED)
    )
    assert "Only an eligible participant can be included." in text


def test_it_refuses_a_recipient_without_a_consent_in_force(
    trial: Trial, personas: Personas
) -> None:
    recipient, _donor = factories.ready_to_include(trial.recipient_a, personas.investigator_a)
    actions.withdraw_consent(
        trial.consent_a, by=personas.investigator_a, date=D(2015, 3, 20), reason="Withdrew"
    )
    text = refusal(
        lambda: actions.enrol(recipient, by=personas.investigator_a, date=INCLUDED), "date"
    )
    assert "No consent in force on this date" in text


def test_it_refuses_a_recipient_whose_donor_is_not_chosen(trial: Trial, personas: Personas) -> None:
    recipient = factories.eligible(trial.recipient_a, personas.investigator_a)
    text = refusal(lambda: actions.enrol(recipient, by=personas.investigator_a, date=INCLUDED))
    assert "Choose the donor first" in text


def test_it_refuses_a_recipient_whose_chosen_donor_withdrew(
    trial: Trial, personas: Personas
) -> None:
    recipient, donor = factories.ready_to_include(trial.recipient_a, personas.investigator_a)
    actions.withdraw_consent(
        donor.consents.get(), by=personas.investigator_a, date=D(2015, 3, 25), reason="Withdrew"
    )
    text = refusal(lambda: actions.enrol(recipient, by=personas.investigator_a, date=INCLUDED))
    assert f"The chosen donor {donor.code} is not eligible" in text


def test_a_donor_is_included_only_when_chosen(trial: Trial, personas: Personas) -> None:
    donor = factories.eligible(trial.donor_a, personas.investigator_a)
    text = refusal(lambda: actions.enrol(donor, by=personas.investigator_a, date=INCLUDED))
    assert "Only the donor chosen for the recipient is included." in text


def test_it_refuses_an_inclusion_after_the_inclusion_period(
    trial: Trial, personas: Personas
) -> None:
    recipient, _donor = factories.ready_to_include(trial.recipient_a, personas.investigator_a)
    text = refusal(
        lambda: actions.enrol(recipient, by=personas.investigator_a, date=D(2018, 9, 1)), "date"
    )
    assert "Inclusions are open from 2014-03-01 to 2018-08-31 (protocol v1)." in text


def test_an_amendment_extends_the_inclusion_period(trial: Trial, personas: Personas) -> None:
    recipient, _donor = factories.ready_to_include(trial.recipient_a, personas.investigator_a)
    actions.record_protocol_amendment(
        by=personas.investigator_a,
        version="v3.0",
        reference="ANSM 2018-123",
        approved_on=D(2018, 6, 1),
        effective_from=D(2018, 7, 1),
        inclusion_end=D(2019, 8, 31),
    )
    included = actions.enrol(recipient, by=personas.investigator_a, date=D(2018, 9, 1))
    assert Enrolment.objects.get(participant=included).frame_version == "v3.0"


def test_it_never_includes_beyond_the_capacity(trial: Trial, personas: Personas) -> None:
    actions.record_protocol_amendment(
        by=personas.investigator_a,
        version="v1.1",
        reference="test",
        approved_on=D(2014, 3, 1),
        effective_from=D(2014, 3, 1),
        recipients_max=1,
    )
    factories.included_pair(trial.recipient_a, personas.investigator_a)
    second, _donor = factories.ready_to_include(trial.recipient_b, personas.investigator_b)
    text = refusal(lambda: actions.enrol(second, by=personas.investigator_b, date=INCLUDED))
    assert "already included its 1 recipients (protocol v1.1)" in text
    second.refresh_from_db()
    assert second.inclusion_date is None
    assert InclusionCounter.objects.get(kind="recipient").last_rank == 1


def _ten_already_included() -> None:
    InclusionCounter.objects.create(kind="recipient", last_rank=10)


def test_the_eleventh_recipient_waits_for_the_safety_board(
    trial: Trial, personas: Personas
) -> None:
    _ten_already_included()
    recipient, _donor = factories.ready_to_include(trial.recipient_a, personas.investigator_a)
    text = refusal(lambda: actions.enrol(recipient, by=personas.investigator_a, date=INCLUDED))
    assert "On hold: inclusion no. 11 opens Level 2 (3 × 10⁶ cells/kg" in text
    assert "safety board's decision on level 1" in text


def test_a_hold_decision_keeps_the_level_closed(trial: Trial, personas: Personas) -> None:
    _ten_already_included()
    recipient, _donor = factories.ready_to_include(trial.recipient_a, personas.investigator_a)
    actions.record_safety_board_decision(
        by=personas.investigator_a,
        dose_level=1,
        outcome="hold",
        decided_on=D(2015, 3, 20),
        minutes_reference="CSI-2015-03",
    )
    text = refusal(lambda: actions.enrol(recipient, by=personas.investigator_a, date=INCLUDED))
    assert "decided “hold: stay at this level” on level 1 on 2015-03-20" in text


def test_a_decision_dated_after_the_inclusion_does_not_open_the_level(
    trial: Trial, personas: Personas
) -> None:
    _ten_already_included()
    recipient, _donor = factories.ready_to_include(trial.recipient_a, personas.investigator_a)
    actions.record_safety_board_decision(
        by=personas.investigator_a,
        dose_level=1,
        outcome="escalate",
        decided_on=INCLUDED + datetime.timedelta(days=1),
        minutes_reference="CSI-2015-04",
    )
    with pytest.raises(ValidationError):
        actions.enrol(recipient, by=personas.investigator_a, date=INCLUDED)


def test_the_safety_board_opens_level_two(trial: Trial, personas: Personas) -> None:
    _ten_already_included()
    recipient, _donor = factories.ready_to_include(trial.recipient_a, personas.investigator_a)
    actions.record_safety_board_decision(
        by=personas.investigator_a,
        dose_level=1,
        outcome="escalate",
        decided_on=D(2015, 3, 20),
        minutes_reference="CSI-2015-03",
    )
    included = actions.enrol(recipient, by=personas.investigator_a, date=INCLUDED)
    enrolment = Enrolment.objects.get(participant=included)
    assert (enrolment.rank, enrolment.dose_level, enrolment.target_cells_per_kg) == (11, 2, 3e6)


def test_correcting_the_inclusion_date_needs_a_reason_and_keeps_the_rank(
    trial: Trial, personas: Personas
) -> None:
    recipient, _donor = factories.included_pair(trial.recipient_a, personas.investigator_a)
    with pytest.raises(ValidationError) as error:
        actions.enrol(recipient, by=personas.investigator_a, date=D(2015, 4, 2))
    assert "reason" in error.value.message_dict
    corrected = actions.enrol(
        recipient, by=personas.investigator_a, date=D(2015, 4, 2), reason="Typo in the CRF"
    )
    assert corrected.inclusion_date == D(2015, 4, 2)
    assert Enrolment.objects.get(participant=corrected).rank == 1
    assert InclusionCounter.objects.get(kind="recipient").last_rank == 1


def test_ranks_follow_the_order_of_inclusion(trial: Trial, personas: Personas) -> None:
    first, _ = factories.included_pair(trial.recipient_a, personas.investigator_a)
    second, _ = factories.included_pair(trial.recipient_b, personas.investigator_b)
    third = new_recipient(personas.site_a, personas.investigator_a)
    third, _ = factories.included_pair(third, personas.investigator_a)
    ranks = [Enrolment.objects.get(participant=p).rank for p in (first, second, third)]
    assert ranks == [1, 2, 3]
    assert InclusionCounter.objects.get(kind="donor").last_rank == 3


def test_the_21st_donor_is_refused_like_the_21st_recipient(
    trial: Trial, personas: Personas
) -> None:
    InclusionCounter.objects.create(kind="donor", last_rank=20)
    _recipient, donor = factories.ready_to_include(trial.recipient_a, personas.investigator_a)
    text = refusal(lambda: actions.enrol(donor, by=personas.investigator_a, date=INCLUDED))
    assert "already included its 20 donors (protocol v1)" in text
    donor.refresh_from_db()
    assert donor.inclusion_date is None
    assert InclusionCounter.objects.get(kind="donor").last_rank == 20
