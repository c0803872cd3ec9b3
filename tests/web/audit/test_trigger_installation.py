"""The triggers come from the registry: every audited table has them, installing is idempotent,
and a participant is found through a chain of foreign keys."""

from __future__ import annotations

import pytest

from sclerocell.web.accounts.models import Site
from sclerocell.web.audit import triggers
from sclerocell.web.audit.context import audit_scope
from sclerocell.web.audit.registry import REGISTRY, AuditSpec, Hop, ParticipantPath, audited
from sclerocell.web.trial import actions
from sclerocell.web.trial.models import Consent, Participant
from tests.web.conftest import Personas

from .conftest import Trail, new_recipient


def test_every_audited_table_has_a_trigger_for_insert_update_and_delete(db: None) -> None:
    covered = triggers.installed_tables()

    for spec in REGISTRY.values():
        assert covered.get(spec.table) == {"insert", "update", "delete"}, spec.table


def test_the_registry_covers_the_trial_and_the_sites() -> None:
    assert {"trial.participant", "trial.consent", "accounts.site", "audit.auditexport"} <= set(
        REGISTRY
    )


def test_installing_twice_still_yields_one_event_per_write(
    personas: Personas, trail: Trail
) -> None:
    triggers.install()
    triggers.install()
    with audit_scope(by=personas.investigator_a, action="x"):
        Site.objects.create(number=77, name="Once")

    assert len(trail.new()) == 1


def test_it_resolves_the_participant_of_each_kind_of_spec() -> None:
    assert AuditSpec(Participant, "self").participant_path() == ParticipantPath("id")
    assert AuditSpec(Consent, "participant").participant_path() == ParticipantPath("participant_id")
    path = AuditSpec(Consent, "participant__recipient").participant_path()
    assert path is not None
    assert (path.column, [(h.table, h.pk_column, h.fk_column) for h in path.hops]) == (
        "participant_id",
        [("trial_participant", "id", "recipient_id")],
    )
    assert isinstance(path.hops[0], Hop)
    assert AuditSpec(Site, None).participant_path() is None


def test_the_default_bookkeeping_fields_are_those_nobody_enters() -> None:
    assert AuditSpec(Participant, "self").bookkeeping_columns() == ["code", "sequence", "version"]
    assert AuditSpec(Site, None, frozenset({"city"})).bookkeeping_columns() == ["city"]


@pytest.fixture
def consents_of_donors_count_for_their_recipient() -> object:
    """Register Consent through a two-step path for one test, then put it back."""
    original = REGISTRY["trial.consent"]
    audited(participant="participant__recipient")(Consent)
    triggers.install()
    yield
    REGISTRY["trial.consent"] = original
    triggers.install()


def test_a_participant_is_found_through_a_chain_of_foreign_keys(
    personas: Personas, trail: Trail, consents_of_donors_count_for_their_recipient: object
) -> None:
    recipient = new_recipient(personas)
    donor = actions.register_donor(
        recipient,
        by=personas.investigator_a,
        relationship="sibling",
        birth_year=1972,
        birth_month=2,
        sex="M",
        screening_date=recipient.screening_date,
    )
    trail.mark()
    with audit_scope(by=personas.investigator_a, action="x"):
        Consent.objects.create(
            participant=donor, form_version="v1", signed_date=donor.screening_date
        )

    [event] = trail.new()
    assert event.participant_pk == recipient.pk


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_database_and_reinstalls_the_triggers() -> None:
    from django.core.management import call_command

    from sclerocell.web.audit.models import AuditEvent

    Site.objects.create(number=78, name="Before the flush")

    call_command("flush", interactive=False, verbosity=0)

    assert not Site.objects.exists()
    assert not AuditEvent.objects.exists()
    assert triggers.installed_tables()["accounts_site"] == {"insert", "update", "delete"}
    Site.objects.create(number=79, name="After the flush")
    assert AuditEvent.objects.count() == 1
