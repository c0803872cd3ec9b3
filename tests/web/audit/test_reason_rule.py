"""A change to entered data without a reason is refused by the database and leaves nothing behind.

First entry needs no reason: creating a row, or filling a field that was empty. Changing an
entered value, or deleting a row, does — whether or not the caller opened an audit scope.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sclerocell.web.accounts.models import Site
from sclerocell.web.audit.context import ReasonRequired, audit_scope
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas

from .conftest import Trail, new_recipient


def test_a_change_without_a_reason_is_refused_and_leaves_nothing(
    personas: Personas, trail: Trail
) -> None:
    with pytest.raises(ReasonRequired):
        with audit_scope(by=personas.data_manager_a, reason="", action="rename_site"):
            Site.objects.filter(pk=personas.site_a.pk).update(name="Renamed")

    assert Site.objects.get(pk=personas.site_a.pk).name == "Hôpital Saint-Louis"
    assert trail.new() == []


def test_the_whole_action_is_rolled_back_not_only_the_refused_statement(
    personas: Personas, trail: Trail
) -> None:
    with pytest.raises(ReasonRequired):
        with audit_scope(by=personas.data_manager_a, reason="  ", action="two_writes"):
            Site.objects.create(number=40, name="New")
            Site.objects.filter(pk=personas.site_b.pk).delete()

    assert not Site.objects.filter(number=40).exists()
    assert Site.objects.filter(pk=personas.site_b.pk).exists()
    assert trail.new() == []


def test_a_delete_without_a_reason_is_refused(personas: Personas, trail: Trail) -> None:
    with pytest.raises(ReasonRequired):
        with audit_scope(by=personas.data_manager_a, action="delete_site"):
            Site.objects.create(number=41, name="Tmp").delete()

    assert trail.new() == []


def test_a_write_outside_any_scope_is_refused_when_it_changes_entered_data(
    personas: Personas, trail: Trail
) -> None:
    with pytest.raises(IntegrityError, match="reason required"), transaction.atomic():
        Site.objects.filter(pk=personas.site_a.pk).update(city="Créteil")

    assert trail.new() == []


def test_a_first_entry_outside_any_scope_is_recorded_as_unscoped(trail: Trail) -> None:
    site = Site.objects.create(number=42, name="Fixture")

    [event] = trail.new()
    assert (event.row_pk, event.channel, event.actor_username) == (str(site.pk), "unscoped", "")


def test_filling_an_empty_field_is_a_first_entry_that_needs_no_reason(
    personas: Personas, trail: Trail
) -> None:
    participant = new_recipient(personas)
    trail.mark()
    with audit_scope(by=personas.investigator_a, action="record_eligibility"):
        Participant.objects.filter(pk=participant.pk).update(
            eligibility="eligible", eligibility_date=datetime.date(2015, 3, 16), version=2
        )

    [event] = trail.new()
    assert event.changed == ["eligibility", "eligibility_date", "version"]
    assert event.reason == ""


def test_changing_a_filled_field_needs_a_reason(personas: Personas, trail: Trail) -> None:
    participant = new_recipient(personas)
    trail.mark()
    with pytest.raises(ReasonRequired):
        with audit_scope(by=personas.investigator_a, action="update_participant"):
            Participant.objects.filter(pk=participant.pk).update(sex="M")

    assert trail.new() == []


def test_the_bookkeeping_version_changes_without_a_reason(personas: Personas, trail: Trail) -> None:
    participant = new_recipient(personas)
    trail.mark()
    with audit_scope(by=personas.investigator_a, action="touch"):
        Participant.objects.filter(pk=participant.pk).update(version=5)

    [event] = trail.new()
    assert (event.old["version"], event.new["version"]) == (1, 5)


def test_a_declared_change_without_a_reason_is_refused_before_any_query(
    personas: Personas, django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(0), pytest.raises(ReasonRequired) as refusal:  # type: ignore[operator]
        with audit_scope(by=personas.investigator_a, action="update_participant", change=True):
            pytest.fail("the block must not run")

    assert isinstance(refusal.value, ValidationError)
    assert list(refusal.value.message_dict) == ["reason"]
    assert refusal.value.error_dict["reason"][0].code == "reason_required"


def test_the_refusal_is_translated(personas: Personas) -> None:
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ReasonRequired) as refusal:
        with audit_scope(by=personas.investigator_a, action="x", change=True):
            pass

    assert refusal.value.message_dict["reason"][0].startswith("Indiquez le motif")
