"""Every read of trial data goes through these functions: they scope by site and by role.

- another site's participant (or consent) does not exist for the caller: ``Http404``;
- a role without the permission gets ``PermissionDenied`` (403) before anything is looked up,
  so a read-only role learns nothing more from a write page than from the matching read page.

One condition per line, so the tests' coverage shows every branch. Pages, API operations,
lists, searches and exports all call these; none builds its own participant queryset.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from sclerocell.web.accounts.models import Site
from sclerocell.web.accounts.roles import Permission

from . import studycode
from .models import Consent, Participant
from .stages import StagedParticipants, with_stage


def require(user: Any, permission: Permission) -> None:
    """Refuse (403) a user whose role does not grant ``permission``."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    if not user.can(permission):
        raise PermissionDenied


def sites_for(user: Any) -> QuerySet[Site]:
    """The sites whose participants the user may see (none for an inactive account)."""
    if not getattr(user, "is_authenticated", False):
        return Site.objects.none()
    if not user.is_active:
        return Site.objects.none()
    return Site.objects.filter(staff=user)


def participants_for(
    user: Any, permission: Permission = Permission.VIEW_SUBJECTS
) -> StagedParticipants:
    """The participants of the user's sites, each with its ``stage``."""
    require(user, permission)
    queryset = Participant.objects.filter(site__in=sites_for(user))
    return with_stage(queryset.select_related("site"))


def counted_participants_for(user: Any) -> QuerySet[Participant]:
    """The participants the dashboard may count: a role that sees participants or reports."""
    if not getattr(user, "is_authenticated", False):
        return Participant.objects.none()
    if user.can(Permission.VIEW_SUBJECTS):
        return Participant.objects.filter(site__in=sites_for(user))
    if user.can(Permission.VIEW_REPORTS):
        return Participant.objects.filter(site__in=sites_for(user))
    return Participant.objects.none()


def get_participant_for(
    user: Any, pk_or_code: int | str, permission: Permission = Permission.VIEW_SUBJECTS
) -> Participant:
    """One participant of the user's sites, by primary key or study code; 404 otherwise."""
    queryset = participants_for(user, permission)
    lookup = _participant_lookup(pk_or_code)
    participant = queryset.filter(**lookup).select_related("recipient").first()
    if participant is None:
        raise Http404("No such participant")
    return participant


def _participant_lookup(pk_or_code: int | str) -> dict[str, Any]:
    if isinstance(pk_or_code, int):
        return {"pk": pk_or_code}
    if pk_or_code.isdigit():
        return {"pk": int(pk_or_code)}
    try:
        return {"code": str(studycode.parse(pk_or_code))}
    except studycode.InvalidStudyCode:
        raise Http404("No such participant") from None


def get_consent_for(
    user: Any,
    participant: Participant,
    consent_id: int,
    permission: Permission = Permission.VIEW_SUBJECTS,
) -> Consent:
    """One consent of a participant the caller may see; 404 otherwise."""
    visible = get_participant_for(user, participant.pk, permission)
    consent = Consent.objects.filter(participant=visible, pk=consent_id).first()
    if consent is None:
        raise Http404("No such consent")
    return consent


def get_site_for(user: Any, number: int, permission: Permission) -> Site:
    """One of the user's sites, by number, for an action needing ``permission``; 404 otherwise."""
    require(user, permission)
    site = sites_for(user).filter(number=number).first()
    if site is None:
        raise Http404("No such site")
    return site


def may_act_at(user: Any, permission: Permission, site: Site) -> bool:
    """Whether the user's role grants ``permission`` and ``site`` is one of theirs."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not user.can(permission):
        return False
    return sites_for(user).filter(pk=site.pk).exists()
