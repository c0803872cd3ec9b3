"""CSRF protection on the login form and on the other forms of the accounts pages."""

from __future__ import annotations

from django.test import Client

from sclerocell.web.accounts.models import ApiToken
from tests.web.accounts.helpers import csrf_token_of
from tests.web.conftest import PASSWORD, Personas


def test_a_login_without_the_csrf_token_is_refused(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/fr/accounts/login/", {"username": "nurse_a", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_login_with_the_csrf_token_of_the_form_succeeds(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    token = csrf_token_of(client.get("/fr/accounts/login/").content.decode())
    response = client.post(
        "/fr/accounts/login/",
        {"username": "nurse_a", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_a_token_form_posted_without_the_csrf_token_creates_nothing(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.nurse_a)
    response = client.post("/fr/accounts/tokens/", {"name": "forged", "read_only": "on"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_a_token_form_posted_with_its_csrf_token_creates_the_token(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.nurse_a)
    token = csrf_token_of(client.get("/fr/accounts/tokens/").content.decode())
    response = client.post(
        "/fr/accounts/tokens/", {"name": "mine", "read_only": "on", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=personas.nurse_a, name="mine").exists()


def test_logout_without_the_csrf_token_is_refused(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.nurse_a)
    assert client.post("/fr/accounts/logout/").status_code == 403
    assert "_auth_user_id" in client.session


def test_the_csrf_cookie_is_out_of_reach_of_scripts(personas: Personas) -> None:
    response = Client().get("/fr/accounts/login/")
    assert response.cookies["csrftoken"]["httponly"]
