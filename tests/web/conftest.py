"""Personas: named users at two sites, the base fixture of every shell test.

Site A (01) and site B (02) each have an investigator; the other roles sit at site A, except
the sponsor-level read-only roles (statistician, safety board) who cover both sites.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from sclerocell.web.accounts.models import Site, User
from sclerocell.web.accounts.roles import Role

PASSWORD = "correct-horse-battery-staple-42"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Engine-specific tests are deselected on the other engine, never skipped: the test command
    runs the suite on both, so each engine-specific test runs exactly once."""
    from django.conf import settings

    engine = "postgres" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"
    other = {"postgres": "sqlite", "sqlite": "postgres"}[engine]
    deselected = [item for item in items if item.get_closest_marker(other)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker(other)]


@pytest.fixture(autouse=True)
def _fast_hasher(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    settings.SCLEROCELL_TOTP_REQUIRED_ROLES = []  # type: ignore[attr-defined]


@dataclass
class Personas:
    site_a: Site
    site_b: Site
    investigator_a: User
    investigator_b: User
    nurse_a: User
    cell_therapy_a: User
    pharmacovigilance_a: User
    data_manager_a: User
    monitor_a: User
    statistician: User
    safety_board: User
    admin: User

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def all_users(self) -> list[User]:
        return [
            getattr(self, name)
            for name in self.__dataclass_fields__
            if name.endswith(("_a", "_b", "statistician", "safety_board", "admin"))
            and isinstance(getattr(self, name), User)
        ]


def make_user(username: str, role: Role, *sites: Site) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role.value)
    user.sites.set(sites)
    return user


@pytest.fixture
def personas(db: None) -> Personas:
    site_a = Site.objects.create(number=1, name="Hôpital Saint-Louis", city="Paris")
    site_b = Site.objects.create(number=2, name="Centre B", city="Lyon")
    return Personas(
        site_a=site_a,
        site_b=site_b,
        investigator_a=make_user("investigator_a", Role.INVESTIGATOR, site_a),
        investigator_b=make_user("investigator_b", Role.INVESTIGATOR, site_b),
        nurse_a=make_user("nurse_a", Role.RESEARCH_NURSE, site_a),
        cell_therapy_a=make_user("cell_therapy_a", Role.CELL_THERAPY_UNIT, site_a),
        pharmacovigilance_a=make_user("pharmacovigilance_a", Role.PHARMACOVIGILANCE, site_a),
        data_manager_a=make_user("data_manager_a", Role.DATA_MANAGER, site_a),
        monitor_a=make_user("monitor_a", Role.MONITOR, site_a),
        statistician=make_user("statistician", Role.STATISTICIAN, site_a, site_b),
        safety_board=make_user("safety_board", Role.SAFETY_BOARD, site_a, site_b),
        admin=make_user("admin", Role.ADMINISTRATOR),
    )
