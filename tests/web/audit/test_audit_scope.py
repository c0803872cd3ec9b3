"""What ``audit_scope`` hands to the triggers: who, why, which action, from where."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import RequestFactory

from sclerocell.web.accounts.models import Site
from sclerocell.web.audit.context import audit_scope, current_context, request_origin
from tests.web.conftest import Personas

from .conftest import Trail


def test_it_records_the_user_the_role_the_reason_and_the_action(
    personas: Personas, trail: Trail
) -> None:
    with audit_scope(by=personas.data_manager_a, reason="site renamed", action="rename_site"):
        Site.objects.filter(number=2).update(name="CHU de Lyon")

    [event] = trail.new()
    assert event.actor_id == personas.data_manager_a.pk
    assert (event.actor_username, event.actor_role) == ("data_manager_a", "data_manager")
    assert (event.reason, event.action, event.channel) == ("site renamed", "rename_site", "action")
    assert len(event.scope_id) == 32


def test_it_records_the_origin_of_the_request(personas: Personas, trail: Trail) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Firefox/140")
    with request_origin(request), audit_scope(by=personas.investigator_a, action="x"):
        Site.objects.create(number=50, name="C")

    [event] = trail.new()
    assert (event.origin_address, event.origin_user_agent) == ("10.1.2.3", "Firefox/140")


def test_the_system_acts_without_a_user(trail: Trail, personas: Personas) -> None:
    with audit_scope(by=None, reason="data migration 0007", action="migrate_sites"):
        Site.objects.filter(number=1).update(city="Paris 10e")

    [event] = trail.new()
    assert (event.actor_id, event.actor_username, event.channel) == (None, "", "action")


def test_timestamps_come_from_the_database_clock_in_utc_and_follow_the_sequence(
    personas: Personas, trail: Trail
) -> None:
    with audit_scope(by=personas.investigator_a, action="x"):
        Site.objects.bulk_create([Site(number=n, name=str(n)) for n in (60, 61, 62)])

    events = trail.new()
    assert all(e.occurred_at.utcoffset().total_seconds() == 0 for e in events)  # type: ignore[union-attr]
    assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events)
    assert [e.seq for e in events] == list(range(events[0].seq, events[0].seq + 3))


def test_an_inner_scope_joins_the_outer_one_and_names_its_own_action(
    personas: Personas, trail: Trail
) -> None:
    user = personas.investigator_a
    with audit_scope(by=user, reason="protocol amendment 3", action="outer"):
        Site.objects.filter(number=1).update(city="A")
        with audit_scope(by=user, action="inner"):
            assert transaction.get_connection().in_atomic_block
            Site.objects.filter(number=1).update(city="B")
        Site.objects.filter(number=1).update(city="C")

    outer1, inner, outer2 = trail.new()
    assert [e.action for e in (outer1, inner, outer2)] == ["outer", "inner", "outer"]
    assert inner.reason == "protocol amendment 3"  # inherited
    assert len({outer1.scope_id, inner.scope_id, outer2.scope_id}) == 1


def test_an_inner_scope_cannot_change_the_acting_user(personas: Personas) -> None:
    with audit_scope(by=personas.investigator_a, action="outer"):
        with pytest.raises(ValueError, match="acting user"):
            with audit_scope(by=personas.investigator_b, action="inner"):
                pass


def test_a_failed_inner_scope_rolls_back_alone(personas: Personas, trail: Trail) -> None:
    user = personas.investigator_a
    with audit_scope(by=user, reason="r", action="outer"):
        Site.objects.create(number=70, name="kept")
        with pytest.raises(RuntimeError), audit_scope(by=user, action="inner"):
            Site.objects.create(number=71, name="rolled back")
            raise RuntimeError

    assert [e.new["name"] for e in trail.new()] == ["kept"]


def test_the_context_ends_with_the_scope(personas: Personas, trail: Trail) -> None:
    with audit_scope(by=personas.investigator_a, action="x"):
        assert current_context() is not None
    Site.objects.create(number=72, name="after")

    assert current_context() is None
    assert [e.channel for e in trail.new()] == ["unscoped"]


def test_it_takes_a_user_or_none_and_an_action_name(personas: Personas) -> None:
    with pytest.raises(ValueError):
        with audit_scope(by="someone", action="x"):
            pass
    with pytest.raises(ValueError):
        with audit_scope(by=personas.investigator_a, action="not an identifier"):
            pass


def test_a_failed_scope_leaves_no_context_behind(personas: Personas, trail: Trail) -> None:
    with pytest.raises(RuntimeError), audit_scope(by=personas.investigator_a, action="x"):
        raise RuntimeError
    Site.objects.create(number=73, name="after a failure")

    assert [e.channel for e in trail.new()] == ["unscoped"]
