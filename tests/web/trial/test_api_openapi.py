"""The OpenAPI schema documents the participant operations with examples."""

from __future__ import annotations

from django.test import Client


def test_the_schema_lists_the_participant_operations_with_examples(db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    operations = {
        op["operationId"]
        for path in schema["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert {
        "list_participants",
        "get_participant",
        "list_consents",
        "register_recipient",
        "register_donor",
        "record_consent",
        "withdraw_consent",
    } <= operations
    recipient_in = schema["components"]["schemas"]["RecipientIn"]
    assert recipient_in["properties"]["screening_date"]["examples"] == ["2014-05-12"]
    code = schema["paths"]["/api/participants/{code}"]["get"]["parameters"][0]
    assert (code["name"], code["examples"]) == ("code", ["01-R007-4"])
    assert {"type": "http", "scheme": "bearer"}.items() <= next(
        iter(schema["components"]["securitySchemes"].values())
    ).items()
