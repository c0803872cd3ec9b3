"""Enrolling an authenticator app: QR code and key, confirmed by a code."""

from __future__ import annotations

import re
from base64 import b32encode

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.web.accounts.helpers import current_code, enrol_device, log_in, wrong_code
from tests.web.conftest import Personas

ENROL = "/fr/accounts/two-factor/enrol/"
VERIFY = "/fr/accounts/two-factor/"


@pytest.fixture
def totp_for_investigators(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCLEROCELL_TOTP_REQUIRED_ROLES = ["investigator"]


def logged_in(username: str) -> Client:
    client = Client()
    log_in(client, username)
    return client


@pytest.mark.usefixtures("totp_for_investigators")
def test_it_shows_a_qr_code_image_and_the_key(personas: Personas) -> None:
    page = logged_in("investigator_a").get(ENROL).content.decode()
    device = TOTPDevice.objects.get(user=personas.investigator_a)
    assert not device.confirmed
    assert re.search(
        r'<img src="data:image/svg\+xml;charset=utf-8,%3Csvg[^"]+" alt="QR code à scanner', page
    )
    key = re.search(r"<code>([A-Z2-7 ]+)</code>", page)
    assert key is not None
    assert key.group(1).replace(" ", "") == b32encode(device.bin_key).decode()
    assert "data:image/svg+xml" in page  # the CSP allows data: images, nothing inline to run


@pytest.mark.usefixtures("totp_for_investigators")
def test_a_reload_keeps_the_same_key(personas: Personas) -> None:
    client = logged_in("investigator_a")
    first = re.findall(r"<code>([A-Z2-7 ]+)</code>", client.get(ENROL).content.decode())
    second = re.findall(r"<code>([A-Z2-7 ]+)</code>", client.get(ENROL).content.decode())
    assert first == second
    assert TOTPDevice.objects.filter(user=personas.investigator_a).count() == 1


@pytest.mark.usefixtures("totp_for_investigators")
def test_a_wrong_code_leaves_the_device_unconfirmed(personas: Personas) -> None:
    client = logged_in("investigator_a")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=personas.investigator_a)
    response = client.post(ENROL, {"code": wrong_code(device)})
    assert "Ce code ne correspond pas" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/fr/").status_code == 302


@pytest.mark.usefixtures("totp_for_investigators")
def test_the_right_code_confirms_the_device_and_opens_the_dashboard(personas: Personas) -> None:
    client = logged_in("investigator_a")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=personas.investigator_a)
    response = client.post(ENROL, {"code": current_code(device), "next": "/fr/"})
    assert response["Location"] == "/fr/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/fr/").status_code == 200


@pytest.mark.usefixtures("totp_for_investigators")
def test_next_login_asks_for_the_code_of_the_enrolled_device(personas: Personas) -> None:
    client = logged_in("investigator_a")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=personas.investigator_a)
    client.post(ENROL, {"code": current_code(device)})
    assert log_in(Client(), "investigator_a")["Location"].startswith(VERIFY)


@pytest.mark.usefixtures("totp_for_investigators")
def test_a_user_with_a_device_cannot_enrol_another_to_skip_the_code(personas: Personas) -> None:
    enrol_device(personas.investigator_a)
    client = logged_in("investigator_a")
    response = client.get(ENROL)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert client.post(ENROL, {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=personas.investigator_a).count() == 1


def test_a_user_of_an_optional_role_can_enrol(personas: Personas) -> None:
    client = personas.client(personas.nurse_a)
    page = client.get(ENROL).content.decode()
    assert "Facultatif pour votre rôle" in page
    device = TOTPDevice.objects.get(user=personas.nurse_a)
    response = client.post(ENROL, {"code": current_code(device)})
    assert response["Location"] == "/fr/"
    device.refresh_from_db()
    assert device.confirmed


def test_an_enrolled_and_verified_user_is_told_so(personas: Personas) -> None:
    client = personas.client(personas.nurse_a)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=personas.nurse_a)
    client.post(ENROL, {"code": current_code(device)})
    response = client.get(ENROL, follow=True)
    assert "déjà configurée" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_login(client: Client, db: None) -> None:
    response = client.get(ENROL)
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/accounts/login/")
