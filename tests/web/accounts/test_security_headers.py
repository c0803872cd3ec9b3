"""Security headers on every page: CSP, no framing, no sniffing, referrer and opener policies."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.conftest import Personas


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


@pytest.fixture
def pages(personas: Personas) -> list:  # type: ignore[type-arg]
    anonymous = Client().get("/fr/accounts/login/")
    logged_in = personas.client(personas.nurse_a).get("/fr/accounts/tokens/")
    return [anonymous, logged_in]


def test_a_content_security_policy_allows_only_our_own_resources(pages: list) -> None:  # type: ignore[type-arg]
    for response in pages:
        csp = directives(response["Content-Security-Policy"])
        assert csp["default-src"] == "'self'"
        assert csp["script-src"] == "'self'"
        assert csp["style-src"] == "'self'"
        assert csp["img-src"] == "'self' data:"
        assert csp["frame-ancestors"] == "'none'"
        assert csp["form-action"] == "'self'"
        assert csp["object-src"] == "'none'"
        assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_pages_refuse_to_be_framed(pages: list) -> None:  # type: ignore[type-arg]
    for response in pages:
        assert response["X-Frame-Options"] == "DENY"


def test_content_types_are_not_sniffed(pages: list) -> None:  # type: ignore[type-arg]
    for response in pages:
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_referrer_stays_on_our_origin(pages: list) -> None:  # type: ignore[type-arg]
    for response in pages:
        assert response["Referrer-Policy"] == "same-origin"


def test_the_opener_is_isolated(pages: list) -> None:  # type: ignore[type-arg]
    for response in pages:
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_api_is_not_sniffed_either(db: None) -> None:
    response = Client().get("/api/openapi.json")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_login_page_is_never_cached(db: None) -> None:
    response = Client().get("/fr/accounts/login/")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
