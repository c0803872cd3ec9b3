"""The reporting clocks of serious adverse events, computed from the events by the core.

``followup.reporting`` gives each serious event its clocks (sponsor within 24 h; a SUSAR to the
authorities within 7 days, + 8 for the follow-up, if fatal or life-threatening, else 15 days)
and their status at an instant. Nothing here stores a deadline: the clock follows the event.

- The SUSAR clocks run on the sponsor's assessment, or — while pharmacovigilance has not
  assessed the event — on the suggestion "serious, suspected and unexpected", so that a pending
  assessment never hides a deadline.
- The sponsor became aware when the investigator's notification reached it: the sponsor
  notification's sent time, unless pharmacovigilance recorded another instant. Before either,
  the SUSAR clocks start at the investigator's awareness and are marked provisional.

Who answers for each clock (the alerts, the badge in the navigation) is declared here.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from sclerocell.followup.messages import FollowUpInputError
from sclerocell.followup.reporting import (
    ClockKind,
    ClockState,
    ClockStatus,
    SeriousAdverseEvent,
    clock_status,
    reporting_clocks,
)
from sclerocell.web.accounts.roles import Role

from . import conf
from .access import events_for
from .models import SERIOUS_Q, AdverseEvent, SafetyReport

# The roles that must send each report, alerted when it is overdue and shown the badge.
RESPONSIBLE: Mapping[ClockKind, frozenset[Role]] = {
    ClockKind.SPONSOR_NOTIFICATION: frozenset({Role.INVESTIGATOR, Role.PHARMACOVIGILANCE}),
    ClockKind.SUSAR_INITIAL: frozenset({Role.PHARMACOVIGILANCE}),
    ClockKind.SUSAR_FOLLOW_UP: frozenset({Role.PHARMACOVIGILANCE}),
}
# Escalation (level 2, some time after the deadline): the site's monitors are told as well.
ESCALATION_ROLES = frozenset({Role.MONITOR})

# Overdue first (longest overdue first), then pending (nearest deadline first), then done.
_STATUS_ORDER = {
    ClockStatus.OVERDUE: 0,
    ClockStatus.PENDING: 1,
    ClockStatus.LATE: 2,
    ClockStatus.MET: 3,
}


@dataclass(frozen=True)
class EventClock:
    """One clock of one serious event, with its status at ``state.as_of``."""

    event: AdverseEvent
    state: ClockState

    @property
    def kind(self) -> ClockKind:
        return self.state.clock.kind

    @property
    def status(self) -> ClockStatus:
        return self.state.status

    @property
    def deadline(self) -> datetime:
        return self.state.clock.deadline

    @property
    def overdue(self) -> bool:
        return self.state.status == ClockStatus.OVERDUE

    @property
    def sort_key(self) -> tuple[int, datetime, int]:
        return (_STATUS_ORDER[self.status], self.deadline, self.event.pk)


def _sent_field(kind: ClockKind) -> str:
    return f"{kind.value}_sent_at"


def with_report_times(events: QuerySet[AdverseEvent]) -> QuerySet[AdverseEvent]:
    """Each event with ``<kind>_sent_at`` for every report kind: clocks need one query."""
    annotations: dict[str, Any] = {
        _sent_field(kind): Subquery(
            SafetyReport.objects.filter(event=OuterRef("pk"), kind=kind.value).values("sent_at")[:1]
        )
        for kind in ClockKind
    }
    return events.annotate(**annotations)


def report_times(event: AdverseEvent) -> dict[ClockKind, datetime]:
    """When each report of ``event`` was sent (annotated, or read from the database)."""
    if all(hasattr(event, _sent_field(kind)) for kind in ClockKind):
        times = {kind: getattr(event, _sent_field(kind)) for kind in ClockKind}
    else:
        reports = SafetyReport.objects.filter(event=event).values_list("kind", "sent_at")
        times = {ClockKind(kind): sent for kind, sent in reports}
    return {kind: sent for kind, sent in times.items() if sent is not None}


def serious_event(event: AdverseEvent, sent: Mapping[ClockKind, datetime]) -> SeriousAdverseEvent:
    """What the core needs to know about ``event`` (which must be serious)."""
    assert event.investigator_aware_at is not None  # noqa: S101 — a database constraint
    sponsor_aware = event.sponsor_aware_at or sent.get(ClockKind.SPONSOR_NOTIFICATION)
    if sponsor_aware is not None and sponsor_aware < event.investigator_aware_at:
        sponsor_aware = None  # an inconsistent entry: fall back to the provisional start
    return SeriousAdverseEvent(
        seriousness=event.seriousness,
        investigator_aware_at=event.investigator_aware_at,
        susar=event.effective_susar,
        sponsor_aware_at=sponsor_aware,
    )


def clocks_of(event: AdverseEvent, as_of: datetime | None = None) -> list[EventClock]:
    """The clocks of one event (none for a non-serious one), with their status at ``as_of``."""
    if not event.is_serious or event.investigator_aware_at is None:
        return []
    now = as_of or timezone.now()
    sent = report_times(event)
    try:
        clocks = reporting_clocks(serious_event(event, sent), conf.reporting_clocks())
    except FollowUpInputError:  # pragma: no cover — the actions validate the same things
        return []
    return [EventClock(event, clock_status(clock, sent.get(clock.kind), now)) for clock in clocks]


def board(events: Iterable[AdverseEvent], as_of: datetime | None = None) -> list[EventClock]:
    """Every clock of ``events``, overdue first, then pending, then late and met."""
    now = as_of or timezone.now()
    found = [clock for event in events for clock in clocks_of(event, now)]
    return sorted(found, key=lambda clock: clock.sort_key)


def serious_events(events: QuerySet[AdverseEvent]) -> QuerySet[AdverseEvent]:
    return with_report_times(events.filter(SERIOUS_Q))


def clocks_for(user: Any, as_of: datetime | None = None) -> list[EventClock]:
    """The clocks of the serious events of the user's sites."""
    return board(serious_events(events_for(user)), as_of)


def responsible_kinds(role: str) -> frozenset[ClockKind]:
    return frozenset(kind for kind, roles in RESPONSIBLE.items() if role in roles)


def overdue_count_for(user: Any, as_of: datetime | None = None) -> int:
    """How many overdue clocks of the user's sites the user's role answers for (0 otherwise)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return 0
    kinds = responsible_kinds(getattr(user, "role", ""))
    if not kinds:
        return 0
    return sum(1 for c in clocks_for(user, as_of) if c.overdue and c.kind in kinds)


# --- The badge of the navigation ---------------------------------------------------------------
# Shown on every page: counted once a minute per session, and again after any safety write in
# this process (the generation changes), so an ordinary page costs no query for it.
BADGE_SECONDS = 60
BADGE_SESSION_KEY = "sclerocell.safety.badge"
GENERATION_KEY = "sclerocell.safety.generation"


def _bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted)
        cache.set(GENERATION_KEY, 1, None)


def changed() -> None:
    """Called by every safety action: badges are counted again once the change commits."""
    transaction.on_commit(_bump_generation)


def badge_count(request: HttpRequest) -> int:
    """``overdue_count_for`` the signed-in user, remembered in the session for a minute."""
    user: Any = request.user
    if not responsible_kinds(getattr(user, "role", "")):
        return 0
    session = getattr(request, "session", None)
    if session is None:
        return overdue_count_for(user)
    generation = cache.get(GENERATION_KEY, 0)
    now = time.time()
    remembered = session.get(BADGE_SESSION_KEY)
    if remembered and remembered[0] == generation and remembered[1] > now:
        return int(remembered[2])
    count = overdue_count_for(user)
    session[BADGE_SESSION_KEY] = [generation, now + BADGE_SECONDS, count]
    return count
