"""actions.register_donor: a donor belongs to a recipient, with the family relationship."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sclerocell.web.trial import actions
from sclerocell.web.trial.models import RELATIONSHIP_PRIORITY, Participant, Relationship
from tests.web.conftest import Personas
from tests.web.trial.conftest import new_donor, new_recipient


def test_it_issues_a_donor_code_at_the_recipients_site(personas: Personas) -> None:
    recipient = new_recipient(personas.site_a, personas.investigator_a)
    donor = new_donor(recipient, personas.nurse_a, relationship="spouse")
    assert donor.code.startswith("01-D001-")
    assert (donor.recipient, donor.relationship, donor.site) == (
        recipient,
        "spouse",
        personas.site_a,
    )


def test_the_protocol_priority_ranks_siblings_then_parents_then_family_then_spouse() -> None:
    ranks = RELATIONSHIP_PRIORITY
    assert ranks[Relationship.SIBLING] < ranks[Relationship.PARENT]
    assert ranks[Relationship.PARENT] < ranks[Relationship.COUSIN]
    assert ranks[Relationship.COUSIN] == ranks[Relationship.OTHER_FAMILY] == ranks["child"]
    assert ranks[Relationship.OTHER_FAMILY] < ranks[Relationship.SPOUSE]
    assert set(ranks) == set(Relationship.values)


def test_it_refuses_a_donor_for_a_donor(personas: Personas) -> None:
    recipient = new_recipient(personas.site_a, personas.investigator_a)
    donor = new_donor(recipient, personas.investigator_a)
    with pytest.raises(ValidationError):
        new_donor(donor, personas.investigator_a)


def test_it_refuses_a_donor_for_another_sites_recipient(personas: Personas) -> None:
    recipient_b = new_recipient(personas.site_b, personas.investigator_b)
    with pytest.raises(PermissionDenied):
        new_donor(recipient_b, personas.investigator_a)
    assert not Participant.objects.filter(kind="donor").exists()


def test_it_rejects_an_unknown_relationship(personas: Personas) -> None:
    recipient = new_recipient(personas.site_a, personas.investigator_a)
    with pytest.raises(ValidationError) as error:
        new_donor(recipient, personas.investigator_a, relationship="neighbour")
    assert "relationship" in error.value.message_dict


def test_it_refuses_a_phone_number_in_the_selection_note(personas: Personas) -> None:
    recipient = new_recipient(personas.site_a, personas.investigator_a)
    with pytest.raises(ValidationError) as error:
        new_donor(recipient, personas.investigator_a, selection_note="joindre au 06 12 34 56 78")
    assert "selection_note" in error.value.message_dict
    assert not Participant.objects.filter(kind="donor").exists()


def test_it_refuses_a_donor_for_a_recipient_whose_participation_ended(
    personas: Personas,
) -> None:
    recipient = new_recipient(personas.site_a, personas.investigator_a)
    actions.end_participation(
        recipient,
        by=personas.investigator_a,
        date=datetime.date(2015, 4, 1),
        cause="withdrawal",
        reason="Withdrew before inclusion",
    )
    recipient.refresh_from_db()
    with pytest.raises(ValidationError):
        new_donor(recipient, personas.investigator_a)
