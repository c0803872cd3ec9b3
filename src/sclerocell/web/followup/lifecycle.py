"""The two status models of the follow-up, each declared once: forms and queries.

Form: ``draft → complete → verified → signed → locked``. An edit of a complete, verified or
signed form brings it back to complete (or to draft if something required is now missing): it
voids the verification and the signature, and needs a reason. A locked form never changes.

Query: ``open → answered → closed``; an answered or closed query can be reopened.

The actions, the pages (which buttons to offer), the API and docs/data-quality.md read these
tables; nothing else decides who may move what where.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from sclerocell.web.accounts.roles import Permission

from .models import FormStatus, QueryStatus


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    permission: Permission
    label: Any
    refusal: Any
    #: Query transitions: whether a message must go with it.
    needs_text: bool = False


FORM_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "complete",
            frozenset({FormStatus.DRAFT}),
            FormStatus.COMPLETE,
            Permission.ENTER_FOLLOWUP,
            _("Mark complete"),
            _("Only a draft can be marked complete."),
        ),
        Transition(
            "verify",
            frozenset({FormStatus.COMPLETE}),
            FormStatus.VERIFIED,
            Permission.VERIFY_SOURCE_DATA,
            _("Source data verified"),
            _("Only a complete form can be verified against the source documents."),
        ),
        Transition(
            "sign",
            frozenset({FormStatus.VERIFIED}),
            FormStatus.SIGNED,
            Permission.SIGN_FORMS,
            _("Sign"),
            _("Only a form whose source data are verified can be signed."),
        ),
        Transition(
            "lock",
            frozenset({FormStatus.SIGNED}),
            FormStatus.LOCKED,
            Permission.LOCK_FORMS,
            _("Lock"),
            _("Only a signed form can be locked."),
        ),
    )
}

#: Statuses in which an edit voids the verification and the signature.
REVIEWED = frozenset({FormStatus.VERIFIED, FormStatus.SIGNED})
#: Statuses in which any edit needs a reason.
BEYOND_DRAFT = frozenset({FormStatus.COMPLETE, *REVIEWED})

SIGNATURE_MEANING = _(
    "By signing, I confirm as investigator that I have reviewed the data of this form and that "
    "they are accurate and complete. This electronic signature is the equivalent of my "
    "handwritten signature."
)

QUERY_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "answer",
            frozenset({QueryStatus.OPEN}),
            QueryStatus.ANSWERED,
            Permission.ANSWER_QUERY,
            _("Answer"),
            _("Only an open query can be answered."),
            needs_text=True,
        ),
        Transition(
            "close",
            frozenset({QueryStatus.OPEN, QueryStatus.ANSWERED}),
            QueryStatus.CLOSED,
            Permission.CLOSE_QUERY,
            _("Close"),
            _("This query is already closed."),
        ),
        Transition(
            "reopen",
            frozenset({QueryStatus.ANSWERED, QueryStatus.CLOSED}),
            QueryStatus.OPEN,
            Permission.RAISE_QUERY,
            _("Reopen"),
            _("This query is already open."),
            needs_text=True,
        ),
    )
}

#: A query that still needs someone's work (a locked form has none).
UNRESOLVED = frozenset({QueryStatus.OPEN, QueryStatus.ANSWERED})


def allowed(transitions: dict[str, Transition], status: str, user: Any) -> list[Transition]:
    """The transitions ``user``'s role may make from ``status`` (for the buttons of a page)."""
    can = getattr(user, "can", None)
    return [
        t
        for t in transitions.values()
        if status in t.sources and can is not None and can(t.permission)
    ]
