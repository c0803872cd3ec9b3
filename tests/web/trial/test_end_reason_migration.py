"""Data migration trial 0004: the reason for an earlier end of participation, from the trail."""

from __future__ import annotations

import datetime
import importlib

from django.apps import apps

from sclerocell.web.audit.context import audit_scope
from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.trial import actions
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial

migration = importlib.import_module("sclerocell.web.trial.migrations.0004_participant_end_reason")
D = datetime.date


def _as_before_0004(participant: Participant) -> None:
    """The participant as the database stood before 0004: no reason on the row."""
    with audit_scope(by=None, reason="test: the state before migration 0004", action="test"):
        Participant.objects.filter(pk=participant.pk).update(end_reason="")


def test_it_copies_the_reason_of_the_end_from_the_audit_trail(
    trial: Trial, personas: Personas
) -> None:
    by = personas.investigator_a
    ended = actions.end_participation(
        trial.recipient_a, by=by, date=D(2015, 4, 1), cause="withdrawal", reason="Moved abroad"
    )
    actions.end_participation(
        trial.donor_b,
        by=personas.investigator_b,
        date=D(2015, 4, 2),
        cause="lost_to_follow_up",
        reason="No answer to three letters",
    )
    _as_before_0004(ended)
    _as_before_0004(trial.donor_b)

    migration.backfill(apps, None)

    reasons = dict(Participant.objects.values_list("code", "end_reason"))
    assert reasons[trial.recipient_a.code] == "Moved abroad"
    assert reasons[trial.donor_b.code] == "No answer to three letters"
    assert reasons[trial.recipient_b.code] == ""  # still participating
    copied = AuditEvent.objects.filter(action="backfill_end_reason")
    assert copied.count() == 2  # the copy is itself in the trail


def test_an_end_whose_trail_holds_no_reason_stays_blank(trial: Trial) -> None:
    # Written outside any action (a first entry): the trail has the change, without a reason.
    Participant.objects.filter(pk=trial.recipient_a.pk).update(
        end_date=D(2015, 4, 1), end_cause="withdrawal"
    )

    migration.backfill(apps, None)

    assert Participant.objects.get(pk=trial.recipient_a.pk).end_reason == ""
    assert not AuditEvent.objects.filter(action="backfill_end_reason").exists()


def test_it_never_overwrites_a_reason_already_on_the_row(trial: Trial, personas: Personas) -> None:
    actions.end_participation(
        trial.recipient_a,
        by=personas.investigator_a,
        date=D(2015, 4, 1),
        cause="withdrawal",
        reason="Moved abroad",
    )
    migration.backfill(apps, None)
    assert Participant.objects.get(pk=trial.recipient_a.pk).end_reason == "Moved abroad"
    assert not AuditEvent.objects.filter(action="backfill_end_reason").exists()
