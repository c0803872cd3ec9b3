"""Every read of safety data goes through these functions: they scope by site and by role.

Adverse events are read by the roles that see participants (``VIEW_SUBJECTS``) and by the
safety board (``VIEW_SAFETY``, read-only, no participant pages). For an event page or operation:

1. a role that can read neither gets 403 before anything is looked up;
2. another site's participant, or an event of another participant, does not exist: 404;
3. then the action's own permission (403): a reader learns nothing from a write page that the
   matching read page would not tell them.

One condition per line, so the tests' coverage shows every branch.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial import access as trial_access
from sclerocell.web.trial.models import Participant

from .models import AdverseEvent

READ_PERMISSIONS = (Permission.VIEW_SUBJECTS, Permission.VIEW_SAFETY)


def read_permission(user: Any) -> Permission:
    """The permission through which ``user`` reads adverse events; 403 if none."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    for permission in READ_PERMISSIONS:
        if user.can(permission):
            return permission
    raise PermissionDenied


def get_participant_for(
    user: Any, code: int | str, permission: Permission | None = None
) -> Participant:
    """A participant of the user's sites whose events the user may read (and act on)."""
    participant = trial_access.get_participant_for(user, code, read_permission(user))
    if permission is not None:
        trial_access.require(user, permission)
    return participant


def events_for(user: Any) -> QuerySet[AdverseEvent]:
    """The adverse events of the participants of the user's sites."""
    read_permission(user)
    sites = trial_access.sites_for(user)
    return AdverseEvent.objects.filter(participant__site__in=sites).select_related(
        "participant", "participant__site"
    )


def get_event_for(user: Any, participant: Participant, event_id: int) -> AdverseEvent:
    """One event of a participant the caller may see; 404 otherwise."""
    event = events_for(user).filter(participant=participant, pk=event_id).first()
    if event is None:
        raise Http404("No such adverse event")
    return event


def require_safety_view(user: Any) -> None:
    """The trial-wide safety pages (clocks, malignancies, stopping rule): ``VIEW_SAFETY``."""
    trial_access.require(user, Permission.VIEW_SAFETY)
