"""A logged-in session that still owes its TOTP code reaches nothing but the TOTP pages."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.accounts.helpers import current_code, enrol_device, log_in
from tests.web.conftest import Personas

VERIFY = "/fr/accounts/two-factor/"


@pytest.fixture
def totp_for_investigators(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCLEROCELL_TOTP_REQUIRED_ROLES = ["investigator"]


@pytest.fixture
def half_logged_in(personas: Personas, totp_for_investigators: None) -> Client:
    enrol_device(personas.investigator_a)
    client = Client()
    log_in(client, "investigator_a")
    return client


@pytest.mark.parametrize("path", ["/fr/", "/fr/accounts/tokens/", "/en/", "/fr/admin/"])
def test_every_other_page_redirects_to_the_code_step(half_logged_in: Client, path: str) -> None:
    response = half_logged_in.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{path[:4]}accounts/two-factor/?next=")


def test_the_redirect_remembers_the_page_asked(half_logged_in: Client) -> None:
    response = half_logged_in.get("/fr/accounts/tokens/")
    assert response["Location"] == f"{VERIFY}?next=%2Ffr%2Faccounts%2Ftokens%2F"


def test_a_post_elsewhere_is_refused_too(half_logged_in: Client) -> None:
    response = half_logged_in.post("/fr/accounts/tokens/", {"name": "sneaky"})
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_logout_and_the_language_switch_stay_reachable(half_logged_in: Client) -> None:
    assert half_logged_in.get("/en/accounts/two-factor/").status_code == 200
    assert half_logged_in.post("/i18n/setlang/", {"language": "en"}).status_code == 302
    assert half_logged_in.post("/fr/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in half_logged_in.session


def test_a_session_forced_in_without_the_code_is_held_too(
    personas: Personas, totp_for_investigators: None
) -> None:
    enrol_device(personas.investigator_a)
    response = personas.client(personas.investigator_a).get("/fr/")
    assert response["Location"].startswith(VERIFY)


def test_a_required_role_without_a_device_is_held_on_enrolment(
    personas: Personas, totp_for_investigators: None
) -> None:
    response = personas.client(personas.investigator_a).get("/fr/")
    assert response["Location"].startswith("/fr/accounts/two-factor/enrol/")


def test_the_api_is_left_to_token_authentication(half_logged_in: Client) -> None:
    assert half_logged_in.get("/api/me").status_code == 401


def test_once_verified_the_session_goes_everywhere(
    personas: Personas, half_logged_in: Client
) -> None:
    device = personas.investigator_a.totpdevice_set.get()
    half_logged_in.post(VERIFY, {"code": current_code(device)})
    assert half_logged_in.get("/fr/accounts/tokens/").status_code == 200
