"""Serious adverse event reporting clocks and their status at a given instant.

DOMAIN.md §7 (EU Regulation 536/2014; ICH E2A):

- investigator → sponsor: without delay, at most **24 h** after the investigator became aware;
- sponsor → authorities for a SUSAR: fatal or life-threatening **7 days**, then a follow-up
  report **8 days** later (ICH E2A "within 8 additional calendar days": the follow-up deadline
  is the initial deadline + 8 days, i.e. day 15); any other SUSAR **15 days**.

SUSAR clocks start when the sponsor becomes aware. While that instant is not recorded, they are
computed from the investigator's awareness — the earliest the sponsor can have known — and
marked ``provisional``. The annual safety report (DSUR) is not an event clock and is not here.

Every instant is an aware datetime, returned in UTC (an aware datetime in another zone is
converted; a naive one is refused). Deadlines are inclusive: a report at exactly 24 h is on time.

Status of a clock at an instant ``as_of``, given when it was reported (a report after ``as_of``
does not count yet): ``pending`` (not reported, deadline not passed), ``met`` (reported by the
deadline), ``overdue`` (not reported and the deadline has passed), ``late`` (reported, but after
the deadline — kept distinct from ``met`` for the pharmacovigilance audit).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sclerocell.followup.messages import FollowUpInputError, Message, aware_utc


class Seriousness(StrEnum):
    DEATH = "death"
    LIFE_THREATENING = "life_threatening"
    HOSPITALISATION = "hospitalisation"  # in-patient hospitalisation or its prolongation
    DISABILITY = "disability"  # persistent or significant disability or incapacity
    CONGENITAL_ANOMALY = "congenital_anomaly"
    MEDICALLY_IMPORTANT = "medically_important"  # other important medical event


SERIOUSNESS_NAMES: dict[Seriousness, Message] = {
    Seriousness.DEATH: Message("décès", "death"),
    Seriousness.LIFE_THREATENING: Message("mise en jeu du pronostic vital", "life-threatening"),
    Seriousness.HOSPITALISATION: Message(
        "hospitalisation ou prolongation d'hospitalisation",
        "hospitalisation or prolongation of hospitalisation",
    ),
    Seriousness.DISABILITY: Message(
        "incapacité ou invalidité importante ou durable", "persistent or significant disability"
    ),
    Seriousness.CONGENITAL_ANOMALY: Message(
        "anomalie ou malformation congénitale", "congenital anomaly or birth defect"
    ),
    Seriousness.MEDICALLY_IMPORTANT: Message(
        "autre événement médicalement important", "other medically important event"
    ),
}


class ClockKind(StrEnum):
    SPONSOR_NOTIFICATION = "sponsor_notification"
    SUSAR_INITIAL = "susar_initial"
    SUSAR_FOLLOW_UP = "susar_follow_up"


class ClockStatus(StrEnum):
    PENDING = "pending"
    MET = "met"
    OVERDUE = "overdue"
    LATE = "late"


@dataclass(frozen=True, slots=True)
class ReportingClocks:
    """Reporting delays of one protocol version."""

    version: str = "v1 (Reg. 536/2014, ICH E2A)"
    investigator_to_sponsor: timedelta = timedelta(hours=24)
    susar_fatal_or_life_threatening: timedelta = timedelta(days=7)
    #: Added to the 7-day deadline for the follow-up report of a fatal/life-threatening SUSAR.
    susar_follow_up_additional: timedelta = timedelta(days=8)
    susar_other: timedelta = timedelta(days=15)

    def __post_init__(self) -> None:
        for name in (
            "investigator_to_sponsor",
            "susar_fatal_or_life_threatening",
            "susar_follow_up_additional",
            "susar_other",
        ):
            if getattr(self, name) <= timedelta(0):
                raise ValueError(f"ReportingClocks.{name} must be positive")


DEFAULT_CLOCKS = ReportingClocks()


@dataclass(frozen=True, slots=True)
class SeriousAdverseEvent:
    """What the clocks need to know about a serious adverse event.

    ``susar``: the sponsor assessed it as a suspected unexpected serious adverse reaction.
    """

    seriousness: frozenset[Seriousness]
    investigator_aware_at: datetime
    susar: bool = False
    sponsor_aware_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Clock:
    kind: ClockKind
    start: datetime
    deadline: datetime
    #: True when the start is the investigator's awareness because the sponsor's is unknown.
    provisional: bool
    description: Message


@dataclass(frozen=True, slots=True)
class ClockState:
    clock: Clock
    status: ClockStatus
    as_of: datetime
    reported_at: datetime | None
    #: Time left (pending, positive) or past the deadline (overdue/late, negative); for ``met``
    #: the margin by which the report beat the deadline.
    margin: timedelta
    message: Message


def is_fatal_or_life_threatening(seriousness: Iterable[Seriousness]) -> bool:
    criteria = set(seriousness)
    return Seriousness.DEATH in criteria or Seriousness.LIFE_THREATENING in criteria


def _fmt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def reporting_clocks(
    event: SeriousAdverseEvent, settings: ReportingClocks = DEFAULT_CLOCKS
) -> tuple[Clock, ...]:
    """Every clock running for ``event``, with its deadline (aware UTC)."""
    if not event.seriousness:
        raise FollowUpInputError(
            Message(
                "Aucun critère de gravité : pas de déclaration expédiée.",
                "No seriousness criterion: no expedited reporting clock.",
            ),
            field="seriousness",
        )
    investigator_aware = aware_utc(event.investigator_aware_at, "investigator_aware_at")
    clocks = [
        Clock(
            ClockKind.SPONSOR_NOTIFICATION,
            investigator_aware,
            investigator_aware + settings.investigator_to_sponsor,
            False,
            Message(
                "Déclaration de l'investigateur au promoteur (sans délai, au plus 24 h).",
                "Investigator to sponsor notification (without delay, at most 24 h).",
            ),
        )
    ]
    if not event.susar:
        return tuple(clocks)
    if event.sponsor_aware_at is None:
        start, provisional = investigator_aware, True
    else:
        start, provisional = aware_utc(event.sponsor_aware_at, "sponsor_aware_at"), False
        if start < investigator_aware:
            raise FollowUpInputError(
                Message(
                    "Le promoteur ne peut pas avoir été informé avant l'investigateur.",
                    "The sponsor cannot have been aware before the investigator.",
                ),
                field="sponsor_aware_at",
            )
    if is_fatal_or_life_threatening(event.seriousness):
        initial = start + settings.susar_fatal_or_life_threatening
        days = settings.susar_fatal_or_life_threatening.days
        extra = settings.susar_follow_up_additional.days
        clocks.append(
            Clock(
                ClockKind.SUSAR_INITIAL,
                start,
                initial,
                provisional,
                Message(
                    f"SUSAR fatale ou menaçant le pronostic vital : déclaration aux autorités "
                    f"sous {days} jours.",
                    f"Fatal or life-threatening SUSAR: report to the authorities within {days} "
                    "days.",
                ),
            )
        )
        clocks.append(
            Clock(
                ClockKind.SUSAR_FOLLOW_UP,
                start,
                initial + settings.susar_follow_up_additional,
                provisional,
                Message(
                    f"SUSAR fatale ou menaçant le pronostic vital : rapport complémentaire "
                    f"{extra} jours après l'échéance initiale.",
                    f"Fatal or life-threatening SUSAR: follow-up report {extra} days after the "
                    "initial deadline.",
                ),
            )
        )
    else:
        days = settings.susar_other.days
        clocks.append(
            Clock(
                ClockKind.SUSAR_INITIAL,
                start,
                start + settings.susar_other,
                provisional,
                Message(
                    f"SUSAR : déclaration aux autorités sous {days} jours.",
                    f"SUSAR: report to the authorities within {days} days.",
                ),
            )
        )
    return tuple(clocks)


def _duration(delta: timedelta) -> tuple[str, str]:
    seconds = int(abs(delta).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    fr = f"{days} j {hours} h {minutes} min" if days else f"{hours} h {minutes} min"
    en = f"{days} d {hours} h {minutes} min" if days else f"{hours} h {minutes} min"
    return fr, en


def clock_status(clock: Clock, reported_at: datetime | None, as_of: datetime) -> ClockState:
    """The status of ``clock`` at ``as_of``, given when the report was sent (or None)."""
    now = aware_utc(as_of, "as_of")
    sent = None if reported_at is None else aware_utc(reported_at, "reported_at")
    if sent is not None and sent > now:
        sent = None  # not yet sent at the instant asked about
    deadline_txt = _fmt(clock.deadline)
    if sent is not None:
        margin = clock.deadline - sent
        fr, en = _duration(margin)
        if margin >= timedelta(0):
            status = ClockStatus.MET
            message = Message(
                f"{clock.description.fr} Déclarée le {_fmt(sent)}, dans le délai "
                f"(échéance {deadline_txt}).",
                f"{clock.description.en} Reported {_fmt(sent)}, on time (deadline {deadline_txt}).",
            )
        else:
            status = ClockStatus.LATE
            message = Message(
                f"{clock.description.fr} Déclarée le {_fmt(sent)}, {fr} après l'échéance "
                f"({deadline_txt}).",
                f"{clock.description.en} Reported {_fmt(sent)}, {en} after the deadline "
                f"({deadline_txt}).",
            )
        return ClockState(clock, status, now, sent, margin, message)
    margin = clock.deadline - now
    fr, en = _duration(margin)
    if margin >= timedelta(0):
        status = ClockStatus.PENDING
        message = Message(
            f"{clock.description.fr} À déclarer avant le {deadline_txt} (reste {fr}).",
            f"{clock.description.en} Due by {deadline_txt} ({en} left).",
        )
    else:
        status = ClockStatus.OVERDUE
        message = Message(
            f"{clock.description.fr} EN RETARD : échéance {deadline_txt} dépassée de {fr}.",
            f"{clock.description.en} OVERDUE: deadline {deadline_txt} passed {en} ago.",
        )
    return ClockState(clock, status, now, None, margin, message)
