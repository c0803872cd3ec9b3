"""The database itself refuses any change to a locked form, whatever the write path."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection

from sclerocell.web.audit.context import audit_scope
from sclerocell.web.followup import lockguard
from sclerocell.web.followup.models import FORM_MODELS, OutcomeForm, Visit
from tests.web.conftest import Personas
from tests.web.followup.conftest import VITALS, FollowUp, enter, through

LOCKED = "sclerocell-followup: locked"


@pytest.fixture
def locked(followup: FollowUp, personas: Personas) -> OutcomeForm:
    visit = followup.visit("M3", datetime.date(2015, 7, 16), by=personas.nurse_a)
    return through(enter(visit, "vitals", personas.nurse_a, **VITALS), personas)


def test_every_form_table_and_the_visit_table_are_guarded(db: None) -> None:
    tables = {model._meta.db_table for model in FORM_MODELS.values()}
    assert tables | {Visit._meta.db_table} <= lockguard.installed()


def test_a_queryset_update_of_a_locked_form_is_refused(
    locked: OutcomeForm, personas: Personas
) -> None:
    with pytest.raises(DatabaseError, match=LOCKED):
        with audit_scope(by=personas.data_manager_a, reason="test", action="test"):
            type(locked).objects.filter(pk=locked.pk).update(weight=70)
    locked.refresh_from_db()
    assert str(locked.weight) == "61.5"  # type: ignore[attr-defined]


def test_deleting_a_locked_form_is_refused(locked: OutcomeForm, personas: Personas) -> None:
    with pytest.raises(DatabaseError, match=LOCKED):
        with audit_scope(by=personas.data_manager_a, reason="test", action="test"):
            type(locked).objects.filter(pk=locked.pk).delete()


def test_raw_sql_on_a_locked_form_is_refused(locked: OutcomeForm, personas: Personas) -> None:
    table = type(locked)._meta.db_table
    with pytest.raises(DatabaseError, match=LOCKED):
        with audit_scope(by=personas.data_manager_a, reason="test", action="test"):
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET status = 'draft' WHERE id = %s", [locked.pk])  # noqa: S608


def test_the_visit_of_a_locked_form_cannot_change(locked: OutcomeForm, personas: Personas) -> None:
    with pytest.raises(DatabaseError, match=LOCKED):
        with audit_scope(by=personas.data_manager_a, reason="test", action="test"):
            Visit.objects.filter(pk=locked.visit_id).update(visit_date=datetime.date(2015, 7, 1))


def test_a_form_that_is_not_locked_can_still_be_corrected(
    followup: FollowUp, personas: Personas
) -> None:
    visit = followup.visit("M3", datetime.date(2015, 7, 16), by=personas.nurse_a)
    form = through(enter(visit, "vitals", personas.nurse_a, **VITALS), personas, last="signed")
    with audit_scope(by=personas.data_manager_a, reason="test", action="test"):
        assert type(form).objects.filter(pk=form.pk).update(heart_rate=71) == 1


@pytest.mark.sqlite
def test_on_sqlite_the_guard_stands_down_only_while_flush_lifts_the_audit_guard(
    locked: OutcomeForm,
) -> None:
    from sclerocell.web.audit import triggers

    triggers.uninstall()
    try:
        type(locked).objects.filter(pk=locked.pk).delete()
    finally:
        triggers.install()
    assert not type(locked).objects.filter(pk=locked.pk).exists()
