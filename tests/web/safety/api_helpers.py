"""Calling the safety API with a persona's token."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.web.trial.conftest import bearer


def call(method: str, user: Any, path: str, body: dict[str, Any] | None = None) -> Any:
    kwargs: dict[str, Any] = {"headers": bearer(user)}
    if body is not None:
        kwargs.update(data=body, content_type="application/json")
    return getattr(Client(), method)(path, **kwargs)


def events_path(code: str, event_id: int | None = None, tail: str = "") -> str:
    path = f"/api/participants/{code}/adverse-events"
    if event_id is not None:
        path += f"/{event_id}"
    return path + tail
