"""The password policy: Argon2 hashing, and short, common or numeric passwords refused in French."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from sclerocell.web import settings as real_settings
from sclerocell.web.accounts.models import User


def french_errors(password: str, user: User | None = None) -> list[str]:
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        validate_password(password, user)
    return [str(message) for message in error.value.messages]


def test_argon2_is_the_first_hasher_of_the_real_settings() -> None:
    assert real_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_a_new_password_is_hashed_with_argon2(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = real_settings.PASSWORD_HASHERS
    user = User(username="argon")
    user.set_password("a-long-enough-passphrase-7")
    assert user.password.startswith("argon2$")
    assert user.check_password("a-long-enough-passphrase-7")


def test_it_refuses_a_short_password_in_french() -> None:
    assert any("trop court" in message for message in french_errors("Xq7#kP2!"))


def test_it_requires_twelve_characters() -> None:
    assert any("12 caractères" in message for message in french_errors("Xq7#kP2!zzz"))
    validate_password("Xq7#kP2!zzzW")  # twelve: accepted


def test_it_refuses_a_common_password_in_french() -> None:
    assert any("trop courant" in message for message in french_errors("password1234"))


def test_it_refuses_an_all_numeric_password_in_french() -> None:
    assert any("entièrement numérique" in message for message in french_errors("804519273645"))


def test_it_refuses_a_password_too_close_to_the_username_in_french() -> None:
    user = User(username="marguerite.duras")
    errors = french_errors("marguerite.duras", user)
    assert any("trop semblable" in message for message in errors)
