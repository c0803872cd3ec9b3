"""Every operation of the HTTP API requires a token: none is reachable anonymously."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sclerocell.web.api import api


def operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        for method in methods:
            # Path parameters get a harmless placeholder: the request must stop at authentication.
            found.append((method.upper(), re.sub(r"{[^}]+}", "01-R001-5", path)))
    return found


def test_the_api_has_operations_to_check() -> None:
    assert len(operations()) >= 3


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), operations())
def test_an_anonymous_call_is_refused(method: str, path: str) -> None:
    response = Client().generic(method, path, data="{}", content_type="application/json")
    assert response.status_code == 401, (method, path, response.status_code)
