"""actions.update_participant: corrections need a reason and respect concurrent edits."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sclerocell.web.trial import actions
from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial, included


def test_it_corrects_the_month_of_birth_with_a_reason(trial: Trial, personas: Personas) -> None:
    updated = actions.update_participant(
        trial.recipient_a, by=personas.nurse_a, reason="Source document check", birth_month=7
    )
    updated.refresh_from_db()
    assert updated.birth_month == 7
    assert updated.version == trial.recipient_a.version + 1


def test_it_requires_a_reason(trial: Trial, personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        actions.update_participant(trial.recipient_a, by=personas.nurse_a, reason="", sex="M")
    assert "reason" in error.value.message_dict
    trial.recipient_a.refresh_from_db()
    assert trial.recipient_a.sex == "F"


def test_it_refuses_a_nir_in_the_reason(trial: Trial, personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        actions.update_participant(
            trial.recipient_a,
            by=personas.nurse_a,
            reason="cf. 2 70 06 75 116 012 34",
            sex="M",
        )
    assert "reason" in error.value.message_dict


def test_it_refuses_a_change_made_on_a_stale_form(trial: Trial, personas: Personas) -> None:
    opened_at = trial.recipient_a.version
    actions.update_participant(trial.recipient_a, by=personas.nurse_a, reason="first", sex="M")
    with pytest.raises(ValidationError) as error:
        actions.update_participant(
            trial.recipient_a,
            by=personas.investigator_a,
            reason="second",
            birth_year=1971,
            expected_version=opened_at,
        )
    assert [e.code for e in error.value.error_dict["__all__"]] == ["stale"]
    trial.recipient_a.refresh_from_db()
    assert trial.recipient_a.birth_year == 1970


def test_it_changes_a_donors_relationship(trial: Trial, personas: Personas) -> None:
    donor = actions.update_participant(
        trial.donor_a, by=personas.investigator_a, reason="Half-brother", relationship="parent"
    )
    assert donor.relationship == "parent"


def test_it_does_not_give_a_recipient_a_relationship(trial: Trial, personas: Personas) -> None:
    with pytest.raises(TypeError):
        actions.update_participant(
            trial.recipient_a, by=personas.investigator_a, reason="x", relationship="parent"
        )


def test_it_refuses_a_screening_date_after_the_inclusion(trial: Trial, personas: Personas) -> None:
    recipient = included(trial.recipient_a, personas.investigator_a)
    with pytest.raises(ValidationError) as error:
        actions.update_participant(
            recipient,
            by=personas.investigator_a,
            reason="x",
            screening_date=recipient.inclusion_date + datetime.timedelta(days=1),  # type: ignore[operator]
        )
    assert "screening_date" in error.value.message_dict


@pytest.mark.parametrize("persona", ["monitor_a", "data_manager_a", "admin", "investigator_b"])
def test_it_refuses_who_may_not_edit_this_participant(
    trial: Trial, personas: Personas, persona: str
) -> None:
    with pytest.raises(PermissionDenied):
        actions.update_participant(
            trial.recipient_a, by=getattr(personas, persona), reason="x", sex="M"
        )
