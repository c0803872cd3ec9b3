"""The login page, in French and in English, with the browser's autocomplete hints."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.accounts.helpers import log_in
from tests.web.conftest import Personas


@pytest.mark.parametrize(
    ("language", "heading", "username_label"),
    [("fr", "Se connecter", "Nom d’utilisateur"), ("en", "Log in", "Username")],
)
def test_it_shows_the_login_page_in_each_language(
    client: Client, db: None, language: str, heading: str, username_label: str
) -> None:
    response = client.get(f"/{language}/accounts/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert heading in page
    assert username_label in page


def test_it_hints_the_browser_about_username_and_password(client: Client, db: None) -> None:
    page = client.get("/fr/accounts/login/").content.decode()
    assert 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page
    assert '<label for="id_username">' in page


def test_it_logs_in_and_goes_to_the_dashboard(personas: Personas) -> None:
    client = Client()
    response = log_in(client, personas.nurse_a.username)
    assert response.status_code == 302
    assert response["Location"] == "/fr/"
    assert client.get("/fr/").status_code == 200


def test_it_logs_in_from_the_english_page(personas: Personas) -> None:
    client = Client()
    response = client.post(
        "/en/accounts/login/",
        {"username": "nurse_a", "password": "correct-horse-battery-staple-42"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_it_returns_to_the_page_asked_before_login(personas: Personas) -> None:
    response = log_in(Client(), personas.nurse_a.username, next="/fr/accounts/tokens/")
    assert response["Location"] == "/fr/accounts/tokens/"


def test_it_ignores_a_next_page_on_another_host(personas: Personas) -> None:
    response = log_in(Client(), personas.nurse_a.username, next="https://evil.example/")
    assert response["Location"] == "/fr/"


def test_it_explains_a_wrong_password_in_french(personas: Personas) -> None:
    response = log_in(Client(), personas.nurse_a.username, password="not-the-password")
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


def test_it_refuses_an_inactive_account(personas: Personas) -> None:
    personas.nurse_a.is_active = False
    personas.nurse_a.save()
    response = log_in(Client(), personas.nurse_a.username)
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session
