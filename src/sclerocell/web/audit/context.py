"""The audit context of one action: who acts, why, from where — handed to the database triggers.

    with audit_scope(by=user, reason="…", action="enrol_subject"):
        ...  # one transaction; every write to an audited table is recorded with this context

The triggers (``triggers``) write the audit rows; this module only tells them the context:

- PostgreSQL: ``set_config('sclerocell.audit_ctx', <json>, true)`` — local to the transaction,
  undone by a rollback to the savepoint that set it;
- SQLite: a function registered on every connection of the application
  (``sclerocell_audit_ctx()``) returns the JSON of the context variable below.

Nesting: an inner scope joins the outer transaction (a savepoint). Its ``action`` names the
inner action; ``by`` and ``reason`` default to the outer scope's, and a different ``by`` is a
programming error. Every event of the outermost scope carries the same ``scope_id``. When the
inner scope ends, the outer context is in force again.

Reasons: the database refuses (and rolls back) an UPDATE that changes an entered value, or any
DELETE, made without a reason. Pass ``change=True`` to have the reason checked here first, before
anything touches the database: a missing reason raises :class:`ReasonRequired`, a translated
``ValidationError`` keyed ``reason`` that a form shows at its reason field. The database's own
refusal is turned into the same exception.
"""

from __future__ import annotations

import contextvars
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# The marker the triggers put in the message of a refused change without a reason.
REASON_REFUSAL = "sclerocell-audit: reason required"
REASON_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Origin:
    address: str = ""
    user_agent: str = ""


_NO_ORIGIN = Origin()
_origin: contextvars.ContextVar[Origin] = contextvars.ContextVar("audit_origin")


@contextmanager
def request_origin(request: HttpRequest) -> Iterator[None]:
    """Make the request's address and user agent the origin of the audit events it causes.

    ``REMOTE_ADDR`` only: behind a reverse proxy, configure the proxy (or a middleware before
    this one) to set it from a header it controls; a client-supplied ``X-Forwarded-For`` would
    let anyone write any address into the audit trail.
    """
    address = request.META.get("REMOTE_ADDR", "") or ""
    agent = request.META.get("HTTP_USER_AGENT", "") or ""
    token = _origin.set(Origin(address[:64], agent[:300]))
    try:
        yield
    finally:
        _origin.reset(token)


def current_origin() -> Origin:
    return _origin.get(_NO_ORIGIN)


@dataclass(frozen=True)
class AuditContext:
    """What the triggers record with every row change made inside an ``audit_scope``."""

    actor_id: int | None
    actor_username: str
    actor_role: str
    reason: str
    action: str
    scope_id: str
    origin_address: str
    origin_user_agent: str

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


_context: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "audit_context", default=None
)


def current_context() -> AuditContext | None:
    """The context of the innermost open ``audit_scope`` of this thread/task, if any."""
    return _context.get()


def current_context_json() -> str:
    """What the SQLite function ``sclerocell_audit_ctx()`` returns: JSON, or '' outside a scope."""
    ctx = _context.get()
    return "" if ctx is None else ctx.as_json()


class ReasonRequired(ValidationError):
    """A change to entered data was attempted without a reason."""

    def __init__(self) -> None:
        message = _("Give the reason for this change (it is kept in the audit trail).")
        super().__init__({"reason": [ValidationError(message, code="reason_required")]})


def is_reason_refusal(error: BaseException) -> bool:
    return isinstance(error, DatabaseError) and REASON_REFUSAL in str(error)


def _actor(by: Any) -> tuple[int | None, str, str]:
    if by is None:
        return None, "", ""
    if not getattr(by, "is_authenticated", False) or getattr(by, "pk", None) is None:
        raise ValueError("audit_scope(by=...) takes a saved, authenticated user or None")
    return int(by.pk), str(by.get_username()), str(getattr(by, "role", "") or "")


@contextmanager
def audit_scope(
    *, by: Any, reason: str = "", action: str, change: bool = False, using: str = "default"
) -> Iterator[AuditContext]:
    """Run the block in one transaction whose audited writes carry this context.

    ``by`` is the acting user (``None`` for the system: a command or a migration).
    ``reason`` is required by the database for a change to entered data and for a deletion;
    ``change=True`` checks it here first. ``action`` names the action (``"enrol_subject"``).
    """
    if not action or not action.replace("_", "").replace(".", "").replace(":", "").isalnum():
        raise ValueError(f"audit_scope(action=...) takes an identifier, not {action!r}")
    outer = _context.get()
    actor_id, username, role = _actor(by)
    reason = (reason or "").strip()
    if outer is not None:
        if by is None:
            actor_id, username, role = outer.actor_id, outer.actor_username, outer.actor_role
        elif actor_id != outer.actor_id:
            raise ValueError("a nested audit_scope cannot change the acting user")
        reason = reason or outer.reason
    if change and not reason:
        raise ReasonRequired
    if len(reason) > REASON_MAX_LENGTH:
        raise ValueError(f"an audit reason is at most {REASON_MAX_LENGTH} characters")
    origin = current_origin()
    context = AuditContext(
        actor_id=actor_id,
        actor_username=username,
        actor_role=role,
        reason=reason,
        action=action,
        scope_id=outer.scope_id if outer is not None else uuid.uuid4().hex,
        origin_address=origin.address,
        origin_user_agent=origin.user_agent,
    )
    token = _context.set(context)
    connection = connections[using]
    try:
        with transaction.atomic(using=using):
            _publish(connection, context.as_json())
            yield context
            # On an error the rollback (of the savepoint) undoes the setting by itself.
            _publish(connection, "" if outer is None else outer.as_json())
    except DatabaseError as error:
        if is_reason_refusal(error):
            raise ReasonRequired from error
        raise
    finally:
        _context.reset(token)


def _publish(connection: Any, context_json: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('sclerocell.audit_ctx', %s, true)", [context_json])
