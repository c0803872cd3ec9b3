"""The administrator manages accounts and sites in the admin, under the password policy."""

from __future__ import annotations

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from sclerocell.web.accounts.actions import issue_token
from sclerocell.web.accounts.models import ApiToken, Site, User
from tests.web.accounts.helpers import enrol_device, log_in
from tests.web.conftest import Personas

ADD = "/fr/admin/accounts/user/add/"
GOOD = "Une-phrase-de-passe-solide-2026"


def new_user(**overrides: object) -> dict[str, object]:
    return {
        "username": "dr.martin",
        "first_name": "Claire",
        "last_name": "Martin",
        "email": "",
        "role": "investigator",
        "sites": [],
        "password1": GOOD,
        "password2": GOOD,
        **overrides,
    }


def test_it_creates_an_investigator_with_a_site(personas: Personas) -> None:
    client = personas.client(personas.admin)
    response = client.post(ADD, new_user(sites=[personas.site_b.pk]))
    assert response.status_code == 302
    user = User.objects.get(username="dr.martin")
    assert user.role == "investigator"
    assert list(user.sites.all()) == [personas.site_b]
    assert user.check_password(GOOD)
    assert log_in(Client(), "dr.martin", password=GOOD).status_code == 302


def test_it_refuses_a_weak_password_in_french(personas: Personas) -> None:
    client = personas.client(personas.admin)
    data = new_user(sites=[personas.site_a.pk], password1="123456", password2="123456")
    response = client.post(ADD, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "trop court" in page
    assert not User.objects.filter(username="dr.martin").exists()


def test_it_refuses_a_clinical_role_without_a_site(personas: Personas) -> None:
    response = personas.client(personas.admin).post(ADD, new_user())
    assert "Choisissez au moins un site pour ce rôle." in response.content.decode()
    assert not User.objects.filter(username="dr.martin").exists()


def test_an_administrator_account_needs_no_site(personas: Personas) -> None:
    response = personas.client(personas.admin).post(ADD, new_user(role="administrator"))
    assert response.status_code == 302
    assert User.objects.get(username="dr.martin").is_staff


def test_it_changes_the_role_and_sites(personas: Personas) -> None:
    user = personas.nurse_a
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": "monitor",
        "sites": [personas.site_a.pk, personas.site_b.pk],
        "is_active": "on",
    }
    response = personas.client(personas.admin).post(
        f"/fr/admin/accounts/user/{user.pk}/change/", data
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.role == "monitor"
    assert user.sites.count() == 2


def test_an_account_cannot_be_deleted_only_deactivated(personas: Personas) -> None:
    client = personas.client(personas.admin)
    response = client.get(f"/fr/admin/accounts/user/{personas.nurse_a.pk}/delete/")
    assert response.status_code == 403


def test_it_manages_the_sites(personas: Personas) -> None:
    client = personas.client(personas.admin)
    response = client.post(
        "/fr/admin/accounts/site/add/", {"number": 3, "name": "CHU Lille", "city": "Lille"}
    )
    assert response.status_code == 302
    assert Site.objects.filter(number=3, name="CHU Lille").exists()


def test_it_resets_a_lost_second_factor(personas: Personas) -> None:
    enrol_device(personas.investigator_a)
    response = personas.client(personas.admin).post(
        "/fr/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [personas.investigator_a.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=personas.investigator_a).exists()


def test_it_unlocks_a_locked_account(personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(2):
        log_in(Client(), "nurse_a", password="wrong")
    assert log_in(Client(), "nurse_a").status_code == 429
    personas.client(personas.admin).post(
        "/fr/admin/accounts/user/",
        {"action": "unlock", "_selected_action": [personas.nurse_a.pk]},
    )
    assert log_in(Client(), "nurse_a").status_code == 302


def test_it_revokes_any_token_but_never_shows_a_secret(personas: Personas) -> None:
    token, raw = issue_token(personas.monitor_a, name="script")
    client = personas.client(personas.admin)
    page = client.get(f"/fr/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert raw not in page
    assert token.digest not in page
    client.post(
        "/fr/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_the_secret_key_of_an_authenticator_is_never_shown(personas: Personas) -> None:
    device = enrol_device(personas.investigator_a)
    client = personas.client(personas.admin)
    page = client.get(f"/fr/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert personas.investigator_a.username in page
    assert device.key not in page


def test_a_password_set_by_the_administrator_follows_the_policy(personas: Personas) -> None:
    client = personas.client(personas.admin)
    url = f"/fr/admin/accounts/user/{personas.nurse_a.pk}/password/"
    weak = client.post(
        url, {"password1": "azerty", "password2": "azerty", "usable_password": "true"}
    )
    assert "trop court" in weak.content.decode()
    strong = client.post(url, {"password1": GOOD, "password2": GOOD, "usable_password": "true"})
    assert strong.status_code == 302
    personas.nurse_a.refresh_from_db()
    assert personas.nurse_a.check_password(GOOD)
