"""The OpenAPI schema declares the bearer-token scheme and applies it to /api/me."""

from __future__ import annotations

from django.test import Client


def test_the_schema_declares_the_bearer_scheme(db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert schema["paths"]["/api/me"]["get"]["security"] == [{"TokenAuth": []}]
