"""`sclerocell create-user`: a staff account with a role, sites and a password of the policy."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sclerocell.web.accounts.models import User
from tests.web.conftest import Personas

GOOD = "Une-phrase-de-passe-solide-2026"


def create(*args: str, password: str = GOOD) -> str:
    out = io.StringIO()
    call_command(
        "create_user", *args, "--password-stdin", stdin=io.StringIO(password + "\n"), stdout=out
    )
    return out.getvalue()


def test_it_creates_a_user_with_a_role_and_sites(personas: Personas) -> None:
    output = create("dr.martin", "--role", "investigator", "--site", "1", "--site", "2")
    user = User.objects.get(username="dr.martin")
    assert user.role == "investigator"
    assert sorted(user.sites.values_list("number", flat=True)) == [1, 2]
    assert user.check_password(GOOD)
    assert user.is_active
    assert "created dr.martin (investigator) at 01, 02" in output


def test_it_accepts_a_comma_separated_list_of_sites(personas: Personas) -> None:
    create("stat2", "--role", "statistician", "--sites", "1,2")
    assert User.objects.get(username="stat2").sites.count() == 2


def test_an_administrator_needs_no_site(personas: Personas) -> None:
    create("admin2", "--role", "administrator")
    assert User.objects.get(username="admin2").is_staff


def test_it_refuses_a_weak_password(personas: Personas) -> None:
    with pytest.raises(CommandError, match="too short"):
        create("dr.martin", "--role", "investigator", "--site", "1", password="abc123")
    assert not User.objects.filter(username="dr.martin").exists()


def test_it_refuses_a_common_password(personas: Personas) -> None:
    with pytest.raises(CommandError, match="too common"):
        create("dr.martin", "--role", "investigator", "--site", "1", password="password1234")


def test_it_refuses_an_unknown_site(personas: Personas) -> None:
    with pytest.raises(CommandError, match=r"no site numbered 7 \(sites: 1, 2\)"):
        create("dr.martin", "--role", "investigator", "--site", "7")


def test_it_refuses_a_site_number_that_is_not_a_number(personas: Personas) -> None:
    with pytest.raises(CommandError, match="site"):
        create("dr.martin", "--role", "investigator", "--site", "Lyon")


def test_it_refuses_a_clinical_role_without_a_site(personas: Personas) -> None:
    with pytest.raises(CommandError, match="at least one site"):
        create("dr.martin", "--role", "investigator")


def test_it_refuses_an_unknown_role(personas: Personas) -> None:
    with pytest.raises(CommandError, match="invalid choice: 'doctor'"):
        create("dr.martin", "--role", "doctor", "--site", "1")


def test_it_refuses_an_existing_username(personas: Personas) -> None:
    with pytest.raises(CommandError, match="already exists"):
        create("nurse_a", "--role", "research_nurse", "--site", "1")


def test_it_refuses_an_invalid_username(personas: Personas) -> None:
    with pytest.raises(CommandError, match="username"):
        create("dr martin!", "--role", "investigator", "--site", "1")


def test_it_refuses_an_empty_password_on_stdin(personas: Personas) -> None:
    with pytest.raises(CommandError, match="no password"):
        create("dr.martin", "--role", "investigator", "--site", "1", password="")


def test_it_asks_the_password_twice_at_a_prompt(personas: Personas, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    answers = iter([GOOD, GOOD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    call_command(
        "create_user", "dr.martin", "--role", "monitor", "--site", "1", stdout=io.StringIO()
    )
    assert User.objects.get(username="dr.martin").check_password(GOOD)


def test_it_refuses_two_different_passwords_at_the_prompt(personas: Personas, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    answers = iter([GOOD, GOOD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    with pytest.raises(CommandError, match="differ"):
        call_command("create_user", "dr.martin", "--role", "monitor", "--site", "1")


def test_without_a_terminal_it_asks_for_password_stdin(personas: Personas, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="--password-stdin"):
        call_command("create_user", "dr.martin", "--role", "monitor", "--site", "1")
