"""The second step of a login: a TOTP code, for the roles that require it or whoever enrolled."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.web.accounts.helpers import current_code, enrol_device, log_in, wrong_code
from tests.web.conftest import Personas

VERIFY = "/fr/accounts/two-factor/"
ENROL = "/fr/accounts/two-factor/enrol/"


@pytest.fixture
def totp_for_investigators(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCLEROCELL_TOTP_REQUIRED_ROLES = ["investigator"]


@pytest.mark.usefixtures("totp_for_investigators")
def test_a_required_role_without_a_device_is_sent_to_enrolment(personas: Personas) -> None:
    response = log_in(Client(), "investigator_a")
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Ffr%2F"


@pytest.mark.usefixtures("totp_for_investigators")
def test_a_required_role_with_a_device_is_asked_for_its_code(personas: Personas) -> None:
    enrol_device(personas.investigator_a)
    client = Client()
    response = log_in(client, "investigator_a")
    assert response["Location"] == f"{VERIFY}?next=%2Ffr%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Saisissez le code à 6 chiffres" in page
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page


@pytest.mark.usefixtures("totp_for_investigators")
def test_a_wrong_code_is_refused_at_the_field(personas: Personas) -> None:
    device = enrol_device(personas.investigator_a)
    client = Client()
    log_in(client, "investigator_a")
    response = client.post(VERIFY, {"code": wrong_code(device), "next": "/fr/"})
    assert response.status_code == 200
    assert "Ce code n’est pas valide" in response.content.decode()
    assert client.get("/fr/").status_code == 302


@pytest.mark.usefixtures("totp_for_investigators")
def test_a_code_that_is_not_six_digits_is_refused_at_the_field(personas: Personas) -> None:
    enrol_device(personas.investigator_a)
    client = Client()
    log_in(client, "investigator_a")
    response = client.post(VERIFY, {"code": "12ab56"})
    assert "Saisissez les 6 chiffres" in response.content.decode()


@pytest.mark.usefixtures("totp_for_investigators")
def test_the_right_code_opens_the_dashboard(personas: Personas) -> None:
    device = enrol_device(personas.investigator_a)
    client = Client()
    log_in(client, "investigator_a")
    response = client.post(VERIFY, {"code": current_code(device), "next": "/fr/"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/"
    assert "Tableau de bord" in client.get("/fr/").content.decode()


@pytest.mark.usefixtures("totp_for_investigators")
def test_a_code_is_accepted_with_spaces_as_apps_show_it(personas: Personas) -> None:
    device = enrol_device(personas.investigator_a)
    client = Client()
    log_in(client, "investigator_a")
    code = current_code(device)
    response = client.post(VERIFY, {"code": f"{code[:3]} {code[3:]}"})
    assert response["Location"] == "/fr/"


@pytest.mark.usefixtures("totp_for_investigators")
def test_a_code_cannot_be_used_twice(personas: Personas) -> None:
    device = enrol_device(personas.investigator_a)
    code = current_code(device)
    first = Client()
    log_in(first, "investigator_a")
    first.post(VERIFY, {"code": code})
    second = Client()
    log_in(second, "investigator_a")
    response = second.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert second.get("/fr/").status_code == 302


@pytest.mark.usefixtures("totp_for_investigators")
def test_repeated_wrong_codes_are_slowed_down(personas: Personas) -> None:
    device = enrol_device(personas.investigator_a)
    client = Client()
    log_in(client, "investigator_a")
    client.post(VERIFY, {"code": wrong_code(device)})
    response = client.post(VERIFY, {"code": current_code(device)})
    assert "Trop de codes erronés" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


@pytest.mark.usefixtures("totp_for_investigators")
def test_it_keeps_the_page_asked_before_login(personas: Personas) -> None:
    device = enrol_device(personas.investigator_a)
    client = Client()
    response = log_in(client, "investigator_a", next="/fr/accounts/tokens/")
    assert response["Location"] == f"{VERIFY}?next=%2Ffr%2Faccounts%2Ftokens%2F"
    response = client.post(VERIFY, {"code": current_code(device), "next": "/fr/accounts/tokens/"})
    assert response["Location"] == "/fr/accounts/tokens/"


@pytest.mark.usefixtures("totp_for_investigators")
def test_a_role_not_in_the_list_logs_in_with_the_password_only(personas: Personas) -> None:
    client = Client()
    response = log_in(client, "nurse_a")
    assert response["Location"] == "/fr/"
    assert client.get("/fr/").status_code == 200
    assert not TOTPDevice.objects.filter(user=personas.nurse_a).exists()


def test_a_user_of_another_role_who_enrolled_is_asked_for_the_code(personas: Personas) -> None:
    device = enrol_device(personas.nurse_a)
    client = Client()
    response = log_in(client, "nurse_a")
    assert response["Location"] == f"{VERIFY}?next=%2Ffr%2F"
    assert client.get("/fr/").status_code == 302
    client.post(VERIFY, {"code": current_code(device)})
    assert client.get("/fr/").status_code == 200


def test_an_unconfirmed_device_does_not_ask_for_a_code(personas: Personas) -> None:
    TOTPDevice.objects.create(user=personas.nurse_a, name="default", confirmed=False)
    assert log_in(Client(), "nurse_a")["Location"] == "/fr/"
