"""The audit context of one action: who acts, why, from where.

PLACEHOLDER INTERFACE — the audit issue fills this in (database triggers read this context).

    with audit_scope(by=user, reason="…", action="enrol_subject"):
        ...  # one transaction; every write to an audited table is recorded with this context
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest


@dataclass(frozen=True)
class Origin:
    address: str = ""
    user_agent: str = ""


_NO_ORIGIN = Origin()
_origin: contextvars.ContextVar[Origin] = contextvars.ContextVar("audit_origin")


@contextmanager
def request_origin(request: HttpRequest) -> Iterator[None]:
    forwarded = request.META.get("REMOTE_ADDR", "")
    token = _origin.set(Origin(forwarded, request.META.get("HTTP_USER_AGENT", "")[:300]))
    try:
        yield
    finally:
        _origin.reset(token)


@contextmanager
def audit_scope(*, by: Any, reason: str = "", action: str) -> Iterator[None]:
    with transaction.atomic():
        yield
