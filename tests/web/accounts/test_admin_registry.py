"""Nothing clinical is editable in the admin: only accounts, sites and sign-in records are."""

from __future__ import annotations

from django.contrib import admin
from django.test import RequestFactory

from sclerocell.web.accounts.admin_site import SclerocellAdminSite
from tests.web.conftest import Personas

# Apps whose models the administrator manages: accounts and sites, authenticators, lockouts.
ACCOUNT_APPS = {"accounts", "otp_totp", "axes"}


def admin_request(personas: Personas):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/fr/admin/")
    request.user = personas.admin
    return request


def test_no_model_outside_account_management_can_be_changed(personas: Personas) -> None:
    request = admin_request(personas)
    editable = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label not in ACCOUNT_APPS
        and (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
    ]
    assert editable == []


def test_django_groups_are_not_offered(personas: Personas) -> None:
    assert "auth.Group" not in {model._meta.label for model in admin.site._registry}


def test_the_admin_site_is_ours() -> None:
    assert isinstance(admin.site, SclerocellAdminSite)


def test_users_and_sites_are_managed_there(personas: Personas) -> None:
    request = admin_request(personas)
    labels = {model._meta.label: model_admin for model, model_admin in admin.site._registry.items()}
    assert labels["accounts.User"].has_add_permission(request)
    assert labels["accounts.Site"].has_change_permission(request)


def test_every_admin_list_opens_for_the_administrator(personas: Personas) -> None:
    client = personas.client(personas.admin)
    for model in admin.site._registry:
        opts = model._meta
        response = client.get(f"/fr/admin/{opts.app_label}/{opts.model_name}/")
        assert response.status_code in {200, 403}, opts.label
        if opts.app_label in ACCOUNT_APPS:
            assert response.status_code == 200, opts.label


def test_the_account_forms_open_for_the_administrator(personas: Personas) -> None:
    client = personas.client(personas.admin)
    for path in [
        "/fr/admin/accounts/user/add/",
        f"/fr/admin/accounts/user/{personas.nurse_a.pk}/change/",
        f"/fr/admin/accounts/user/{personas.nurse_a.pk}/password/",
        "/fr/admin/accounts/site/add/",
    ]:
        assert client.get(path).status_code == 200, path
