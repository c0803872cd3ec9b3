"""The Django admin lets in administrators only."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.accounts.helpers import current_code, enrol_device, log_in
from tests.web.conftest import Personas


def test_an_administrator_gets_in(personas: Personas) -> None:
    response = personas.client(personas.admin).get("/fr/admin/")
    assert response.status_code == 200
    assert "Administration de sclerocell" in response.content.decode()


def test_an_investigator_is_refused(personas: Personas) -> None:
    client = personas.client(personas.investigator_a)
    response = client.get("/fr/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/admin/login/")
    assert client.get(response["Location"]).status_code == 403


@pytest.mark.parametrize("path", ["/fr/admin/accounts/user/", "/fr/admin/accounts/user/add/"])
def test_no_other_role_reaches_an_admin_page(personas: Personas, path: str) -> None:
    for user in personas.all_users():
        if user == personas.admin:
            continue
        response = personas.client(user).get(path)
        assert response.status_code == 302, user.username


def test_an_anonymous_visitor_logs_in_through_the_application_login(db: None) -> None:
    client = Client()
    response = client.get("/fr/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/fr/accounts/login/?next=/fr/admin/"


def test_a_deactivated_administrator_is_refused(personas: Personas) -> None:
    client = personas.client(personas.admin)
    personas.admin.is_active = False
    personas.admin.save()
    assert client.get("/fr/admin/").status_code == 302


def test_the_administrator_flag_follows_the_role(personas: Personas) -> None:
    assert personas.admin.is_staff
    assert not personas.admin.is_superuser
    assert not personas.investigator_a.is_staff
    personas.investigator_a.is_superuser = True
    personas.investigator_a.is_staff = True
    personas.investigator_a.save()
    personas.investigator_a.refresh_from_db()
    assert not personas.investigator_a.is_superuser
    assert not personas.investigator_a.is_staff


def test_a_verified_administrator_visiting_admin_login_goes_to_the_index(
    personas: Personas,
) -> None:
    response = personas.client(personas.admin).get("/fr/admin/login/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/admin/"


def test_an_administrator_passes_the_second_factor_before_the_admin(
    personas: Personas, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.SCLEROCELL_TOTP_REQUIRED_ROLES = ["administrator"]
    device = enrol_device(personas.admin)
    client = Client()
    response = log_in(client, "admin", next="/fr/admin/")
    assert response["Location"] == "/fr/accounts/two-factor/?next=%2Ffr%2Fadmin%2F"
    assert client.get("/fr/admin/").status_code == 302
    response = client.post(response["Location"], {"code": current_code(device)})
    assert response["Location"] == "/fr/admin/"
    assert client.get("/fr/admin/").status_code == 200
