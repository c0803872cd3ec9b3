"""Every read of follow-up data goes through these functions, on top of ``trial.access``.

Order of the checks, the same on every page and API operation: the participant first (a role
that may not see participants gets 403; another site's participant is 404), then the permission
of the write (403), then the visit, form or query, which must belong to that participant (404).
One condition per line, so the tests' coverage shows every branch.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial.access import get_participant_for, require, sites_for
from sclerocell.web.trial.models import Participant

from .definitions import FORMS, FormSpec
from .models import Query, Visit


def require_any(user: Any, permissions: set[Permission]) -> None:
    """Refuse (403) a user whose role grants none of ``permissions``."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    if not any(user.can(permission) for permission in permissions):
        raise PermissionDenied


def recipient(participant: Participant) -> Participant:
    """Donors have no follow-up visits: 404 for a donor."""
    if not participant.is_recipient:
        raise Http404("No follow-up for a donor")
    return participant


def get_visit_for(participant: Participant, visit_id: int) -> Visit:
    """A visit of ``participant`` (already fetched through the access functions); 404 otherwise."""
    visit = Visit.objects.filter(participant=participant, pk=visit_id).first()
    if visit is None:
        raise Http404("No such visit")
    visit.participant = participant
    return visit


def get_spec(code: str) -> FormSpec:
    spec = FORMS.get(code)
    if spec is None:
        raise Http404("No such form")
    return spec


def queries_for(user: Any) -> QuerySet[Query]:
    """The queries about the participants of the user's sites."""
    require(user, Permission.VIEW_SUBJECTS)
    return Query.objects.filter(participant__site__in=sites_for(user))


def get_query_for(participant: Participant, query_id: int) -> Query:
    """A query about ``participant`` (fetched through the access functions); 404 otherwise."""
    query = Query.objects.filter(participant=participant, pk=query_id).first()
    if query is None:
        raise Http404("No such query")
    query.participant = participant
    return query


__all__ = [
    "get_participant_for",
    "get_query_for",
    "get_spec",
    "get_visit_for",
    "queries_for",
    "recipient",
    "require",
    "require_any",
]
