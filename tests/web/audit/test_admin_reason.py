"""The Django admin of an audited model asks for a reason and records who changed what."""

from __future__ import annotations

import pytest

from sclerocell.web.accounts.models import Site
from tests.web.conftest import Personas

from .conftest import Trail

pytestmark = pytest.mark.urls("tests.web.audit.admin_urls")


def change(personas: Personas, **data: str) -> object:
    site = personas.site_b
    return personas.client(personas.data_manager_a).post(
        f"/admin/accounts/site/{site.pk}/change/",
        {"number": "2", "name": "Hospices civils de Lyon", "city": "Lyon", **data},
    )


def test_a_change_with_a_reason_is_one_event_by_the_logged_in_user(
    personas: Personas, trail: Trail
) -> None:
    response = change(personas, audit_reason="official name")

    assert response.status_code == 302  # type: ignore[attr-defined]
    [event] = trail.new()
    assert (event.old["name"], event.new["name"]) == ("Centre B", "Hospices civils de Lyon")
    assert (event.actor_username, event.reason) == ("data_manager_a", "official name")
    assert event.action == "admin_change_accounts_site"


def test_a_change_without_a_reason_is_refused_at_the_reason_field(
    personas: Personas, trail: Trail
) -> None:
    response = change(personas, audit_reason="")

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "audit_reason" in response.context["adminform"].form.errors  # type: ignore[attr-defined]
    assert Site.objects.get(pk=personas.site_b.pk).name == "Centre B"
    assert trail.new() == []


def test_an_addition_needs_no_reason(personas: Personas, trail: Trail) -> None:
    response = personas.client(personas.data_manager_a).post(
        "/admin/accounts/site/add/", {"number": "3", "name": "CHU de Lille", "city": "Lille"}
    )

    assert response.status_code == 302
    [event] = trail.new()
    assert (event.operation, event.actor_username) == ("insert", "data_manager_a")


def test_the_admin_does_not_delete_audited_rows(personas: Personas, trail: Trail) -> None:
    response = personas.client(personas.data_manager_a).post(
        f"/admin/accounts/site/{personas.site_b.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert trail.new() == []


@pytest.mark.urls("sclerocell.web.urls")
def test_the_projects_admin_asks_for_a_reason_to_change_a_site(
    personas: Personas, trail: Trail
) -> None:
    client = personas.client(personas.admin)
    url = f"/fr/admin/accounts/site/{personas.site_b.pk}/change/"
    data = {"number": "2", "name": "HCL", "city": "Lyon"}

    refused = client.post(url, data)
    accepted = client.post(url, {**data, "audit_reason": "official name"})

    assert refused.status_code == 200
    assert "audit_reason" in refused.context["adminform"].form.errors
    assert accepted.status_code == 302
    [event] = trail.new()
    assert (event.actor_username, event.reason, event.new["name"]) == (
        "admin",
        "official name",
        "HCL",
    )
