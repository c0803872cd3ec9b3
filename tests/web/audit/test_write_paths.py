"""Every write path of an audited model yields exactly one event per row, with old and new values.

The triggers do the recording, so the path does not matter: save, delete, queryset update and
delete, bulk create and update, raw SQL through the application's connection. (The admin has
its own test file; SQL from outside the application, test_writes_outside_the_application.py.)
"""

from __future__ import annotations

import pytest

from sclerocell.web.accounts.models import Site
from sclerocell.web.audit.context import audit_scope
from sclerocell.web.trial.models import Consent, Participant
from tests.web.conftest import Personas

from .conftest import Trail, execute, new_recipient


def scope(personas: Personas, reason: str = "correction of a typo") -> object:
    return audit_scope(by=personas.data_manager_a, reason=reason, action="test_write")


def test_save_of_a_new_row_yields_one_insert_event_with_the_new_values(
    personas: Personas, trail: Trail
) -> None:
    with scope(personas, reason=""):
        site = Site.objects.create(number=10, name="Centre C", city="Lille")

    [event] = trail.new()
    assert (event.operation, event.table_name, event.row_pk) == (
        "insert",
        "accounts_site",
        str(site.pk),
    )
    assert event.old_values is None
    assert event.new == {"id": site.pk, "number": 10, "name": "Centre C", "city": "Lille"}
    assert event.changed == ["city", "id", "name", "number"]


def test_save_of_a_change_yields_one_update_event_with_old_and_new(
    personas: Personas, trail: Trail
) -> None:
    site = personas.site_a
    site.name = "Hôpital Saint-Louis, AP-HP"
    with scope(personas):
        site.save()

    [event] = trail.new()
    assert event.operation == "update"
    assert event.old["name"] == "Hôpital Saint-Louis"
    assert event.new["name"] == "Hôpital Saint-Louis, AP-HP"
    assert event.changed == ["name"]
    assert event.reason == "correction of a typo"


def test_a_save_that_changes_nothing_yields_no_event(personas: Personas, trail: Trail) -> None:
    with scope(personas):
        personas.site_a.save()

    assert trail.new() == []


def test_delete_yields_one_delete_event_with_the_old_values(
    personas: Personas, trail: Trail
) -> None:
    with scope(personas, reason=""):
        site = Site.objects.create(number=11, name="Erreur")
    trail.mark()
    pk = site.pk
    with scope(personas, reason="created by mistake"):
        site.delete()

    [event] = trail.new()
    assert (event.operation, event.row_pk) == ("delete", str(pk))
    assert event.old["name"] == "Erreur"
    assert event.new_values is None


def test_queryset_update_yields_one_event_per_row(personas: Personas, trail: Trail) -> None:
    with scope(personas):
        count = Site.objects.filter(number__in=[1, 2]).update(city="Marseille")

    events = trail.new()
    assert count == 2
    assert sorted((e.row_pk, e.old["city"], e.new["city"]) for e in events) == sorted(
        [
            (str(personas.site_a.pk), "Paris", "Marseille"),
            (str(personas.site_b.pk), "Lyon", "Marseille"),
        ]
    )


def test_queryset_delete_yields_one_event_per_row(personas: Personas, trail: Trail) -> None:
    with scope(personas, reason=""):
        Site.objects.bulk_create([Site(number=20, name="X"), Site(number=21, name="Y")])
    trail.mark()
    with scope(personas, reason="test sites"):
        Site.objects.filter(number__gte=20).delete()

    events = trail.new()
    assert [(e.operation, e.old["name"]) for e in events] == [("delete", "X"), ("delete", "Y")]


def test_bulk_create_yields_one_insert_event_per_row(personas: Personas, trail: Trail) -> None:
    with scope(personas, reason=""):
        Site.objects.bulk_create([Site(number=n, name=f"Centre {n}") for n in (30, 31, 32)])

    events = trail.new()
    assert [(e.operation, e.new["number"]) for e in events] == [
        ("insert", 30),
        ("insert", 31),
        ("insert", 32),
    ]


def test_bulk_update_yields_one_update_event_per_changed_row(
    personas: Personas, trail: Trail
) -> None:
    sites = [personas.site_a, personas.site_b]
    for site in sites:
        site.city = site.city.upper()
    with scope(personas):
        Site.objects.bulk_update(sites, ["city"])

    events = trail.new()
    assert [(e.old["city"], e.new["city"]) for e in events] == [
        ("Paris", "PARIS"),
        ("Lyon", "LYON"),
    ]


def test_raw_sql_through_the_application_yields_one_event(personas: Personas, trail: Trail) -> None:
    with scope(personas):
        execute("UPDATE accounts_site SET name = %s WHERE number = %s", ["Centre B (Lyon)", 2])

    [event] = trail.new()
    assert (event.old["name"], event.new["name"]) == ("Centre B", "Centre B (Lyon)")
    assert event.channel == "action"


def test_a_participant_event_carries_the_participant(personas: Personas, trail: Trail) -> None:
    participant = new_recipient(personas)

    [event] = [e for e in trail.new() if e.table_name == "trial_participant"]
    assert event.participant_pk == participant.pk
    assert event.action == "register_recipient"


def test_a_consent_event_carries_the_participant_of_its_foreign_key(
    personas: Personas, trail: Trail
) -> None:
    participant = new_recipient(personas)
    trail.mark()
    with scope(personas, reason=""):
        consent = Consent.objects.create(
            participant=participant, form_version="v1", signed_date=participant.screening_date
        )

    [event] = trail.new()
    assert (event.table_name, event.row_pk) == ("trial_consent", str(consent.pk))
    assert event.participant_pk == participant.pk


@pytest.mark.parametrize("path", ["queryset", "save"])
def test_a_participant_correction_is_one_event_whatever_the_path(
    personas: Personas, trail: Trail, path: str
) -> None:
    participant = new_recipient(personas)
    trail.mark()
    with scope(personas, reason="wrong month on the screening log"):
        if path == "queryset":
            Participant.objects.filter(pk=participant.pk).update(birth_month=7)
        else:
            participant.birth_month = 7
            participant.save()

    [event] = trail.new()
    assert (event.old["birth_month"], event.new["birth_month"]) == (6, 7)
    assert event.changed == ["birth_month"]
    assert event.participant_pk == participant.pk
