"""One participant's path on one timeline, read from the records.

Recipient: screening → eligibility → donor chosen → inclusion → harvest → batch → release →
bedside check → infusion → follow-up → end. A donor: screening → eligibility → chosen →
inclusion → harvest → end. Events of the same day keep the order of the chain; a refused
bedside check or a rejected batch stays on the timeline.

The follow-up is read, not recomputed: every visit of the schedule in force with its status
comes from ``followup.visits.participant_schedule`` (a recorded visit on its date, a visit not
yet recorded on its target date; a visit whose window opens after the end of participation is
not expected and left out), then the unscheduled visits. The adverse events are those the
caller passes, read through ``safety.access`` (``readable_adverse_events``: none for a user who
may not read them). Every list is read in one query, whatever the number of visits or events.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sclerocell.criteria.windows import add_months
from sclerocell.product.dosing import _sci as scientific
from sclerocell.product.messages import Message
from sclerocell.web.followup.definitions import BASELINE, UNSCHEDULED
from sclerocell.web.followup.visits import RowStatus, ScheduleRow, participant_schedule
from sclerocell.web.safety import access as safety_access
from sclerocell.web.safety import terms
from sclerocell.web.safety.models import AdverseEvent
from sclerocell.web.trial.enrolment import frame_on, localized
from sclerocell.web.trial.models import Eligibility, Participant

from . import chain
from .models import Harvest


class Step(StrEnum):
    SCREENING = "screening"
    CONSENT = "consent"
    ELIGIBILITY = "eligibility"
    DONOR = "donor"
    INCLUSION = "inclusion"
    HARVEST = "harvest"
    BATCH = "batch"
    RELEASE = "release"
    BASELINE_VISIT = "baseline_visit"
    BEDSIDE_CHECK = "bedside_check"
    INFUSION = "infusion"
    VISIT = "visit"
    ADVERSE_EVENT = "adverse_event"
    FOLLOW_UP = "follow_up"
    END = "end"


ORDER = {step: index for index, step in enumerate(Step)}


class State(StrEnum):
    DONE = "done"
    REFUSED = "refused"
    PLANNED = "planned"


@dataclass(frozen=True)
class Event:
    day: datetime.date
    step: Step
    title: str
    detail: str = ""
    state: State = State.DONE
    # A visit's status (``followup.visits.RowStatus``), shown with the visit pages' badge.
    status: str = ""
    link: str = ""


def readable_adverse_events(user: Any, participant: Participant) -> tuple[list[AdverseEvent], bool]:
    """The participant's adverse events as the adverse-event pages let ``user`` read them
    (``safety.access``), oldest first, and whether they may; none for a user it refuses."""
    try:
        events = safety_access.events_for(user).filter(participant=participant)
    except PermissionDenied:
        return [], False
    return list(events.order_by("onset_date", "number")), True


def timeline(
    participant: Participant,
    *,
    as_of: datetime.date | None = None,
    adverse_events: Iterable[AdverseEvent] = (),
    link_adverse_events: bool = False,
) -> list[Event]:
    """Every recorded event of the participant (a donor: their own), oldest first.

    ``as_of`` (default: today) dates the visit statuses; ``adverse_events`` are the
    participant's events the caller may read, linked to their page if ``link_adverse_events``.
    """
    events = _common(participant)
    if participant.is_recipient:
        events += _recipient_chain(participant)
        events += _follow_up(participant, as_of or timezone.localdate())
    else:
        events += _donor_chain(participant)
    events += [_adverse_event(participant, ae, link_adverse_events) for ae in adverse_events]
    if participant.end_date is not None:
        detail = participant.get_end_cause_display()
        if participant.end_reason:
            detail = f"{detail} — {participant.end_reason}"
        events.append(Event(participant.end_date, Step.END, _("End of participation"), detail))
    # Stable: the visits of one day keep the order of the schedule.
    return sorted(events, key=lambda event: (event.day, ORDER[event.step]))


_VISIT_STATES = {
    RowStatus.DONE: State.DONE,
    RowStatus.LATE: State.REFUSED,
    RowStatus.MISSED: State.REFUSED,
    RowStatus.DUE: State.PLANNED,
    RowStatus.OPEN: State.PLANNED,
}


def _short(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _follow_up(recipient: Participant, as_of: datetime.date) -> list[Event]:
    """The baseline, each visit of the schedule in force with its status, unscheduled visits."""
    events = []
    for row in participant_schedule(recipient, recipient.visits.all(), as_of):
        day = row.visit.visit_date if row.visit is not None else row.target
        if row.code == BASELINE and row.visit is None:
            day = row.window_end  # the infusion: missed if there was no baseline visit before
        if day is None or row.status == RowStatus.NOT_EXPECTED:
            continue
        events.append(
            Event(
                day,
                Step.BASELINE_VISIT if row.code == BASELINE else Step.VISIT,
                str(row.name),
                _visit_detail(row),
                _VISIT_STATES.get(RowStatus(row.status), State.DONE),
                status=str(row.status),
                link=reverse("followup:visit_detail", args=[recipient.code, row.visit.pk])
                if row.visit is not None
                else "",
            )
        )
    return events


def _visit_detail(row: ScheduleRow) -> str:
    if row.code == UNSCHEDULED or row.window_start is None or row.window_end is None:
        return str(row.explanation)
    window = _("target %(target)s, window %(start)s – %(end)s") % {
        "target": _short(row.target) if row.target else "—",
        "start": _short(row.window_start),
        "end": _short(row.window_end),
    }
    return f"{window}. {row.explanation}"


def _adverse_event(participant: Participant, event: AdverseEvent, link: bool) -> Event:
    term = event.term
    french = terms.french_name(event.meddra_code)
    if french and (translation.get_language() or "fr").startswith("fr"):
        term = f"{term} ({french})"
    detail = _("grade %(grade)d") % {"grade": event.grade}
    if event.is_serious:
        detail += ", " + _("serious (%(criteria)s)") % {
            "criteria": ", ".join(event.seriousness_labels())
        }
    url = reverse("safety:participant_events", args=[participant.code])
    return Event(
        event.onset_date,
        Step.ADVERSE_EVENT,
        _("Adverse event %(number)d: %(term)s") % {"number": event.number, "term": term},
        detail,
        State.REFUSED if event.is_serious else State.DONE,
        link=f"{url}#ae-{event.number}" if link else "",
    )


def _common(participant: Participant) -> list[Event]:
    events = [Event(participant.screening_date, Step.SCREENING, _("Screening"))]
    for consent in participant.consents.all():
        events.append(
            Event(consent.signed_date, Step.CONSENT, _("Consent signed"), consent.form_version)
        )
    if participant.eligibility_date is not None:
        events.append(
            Event(
                participant.eligibility_date,
                Step.ELIGIBILITY,
                _("Eligibility decision"),
                participant.get_eligibility_display(),
                State.DONE if participant.eligibility == Eligibility.ELIGIBLE else State.REFUSED,
            )
        )
    enrolment = chain.enrolment_of(participant)
    if participant.inclusion_date is not None:
        detail = _("rank %(rank)d") % {"rank": enrolment.rank} if enrolment else ""
        if enrolment is not None and enrolment.dose_level is not None:
            detail = _("rank %(rank)d, dose level %(level)d (%(dose)s cells/kg)") % {
                "rank": enrolment.rank,
                "level": enrolment.dose_level,
                "dose": scientific(enrolment.target_cells_per_kg or 0),
            }
        events.append(Event(participant.inclusion_date, Step.INCLUSION, _("Inclusion"), detail))
    return events


def _recipient_chain(recipient: Participant) -> list[Event]:
    found = chain.chain_of(recipient)
    events: list[Event] = []
    if found.selection is not None:
        donor = found.selection.donor
        events.append(
            Event(
                found.selection.selected_on,
                Step.DONOR,
                _("Donor chosen"),
                f"{donor.code} ({donor.get_relationship_display()})",
            )
        )
    for harvest in found.harvests:
        events.append(_harvest_event(harvest))
    for batch in found.batches:
        events.append(
            Event(
                batch.manufactured_on,
                Step.BATCH,
                _("Batch %(number)s made") % {"number": batch.number},
                _("%(cells)s cells in %(volume)s mL, from the harvest of %(donor)s")
                % {
                    "cells": scientific(batch.cell_count),
                    "volume": batch.volume_ml,
                    "donor": batch.harvest.donor.code,
                },
            )
        )
        decision = chain.decision_of(batch)
        if decision is not None:
            events.append(
                Event(
                    timezone.localdate(decision.signed_at),
                    Step.RELEASE,
                    _("Batch %(number)s %(outcome)s")
                    % {"number": batch.number, "outcome": decision.get_outcome_display()},
                    _("signed by %(user)s") % {"user": decision.signer_username}
                    + (f" — {decision.deviation}" if decision.deviation else ""),
                    State.DONE if decision.released else State.REFUSED,
                )
            )
    for check in found.checks:
        events.append(
            Event(
                timezone.localdate(check.checked_at),
                Step.BEDSIDE_CHECK,
                _("Bedside check passed") if check.accepted else _("Bedside check refused"),
                localized_message(check.message_fr, check.message_en),
                State.DONE if check.accepted else State.REFUSED,
            )
        )
    infusion = found.infusion
    if infusion is not None:
        events.append(
            Event(
                timezone.localdate(infusion.started_at),
                Step.INFUSION,
                _("Infusion of batch %(number)s") % {"number": infusion.batch.number},
                _("%(dose)s cells/kg (target %(target)s), %(volume)s mL at %(rate)s mL/min")
                % {
                    "dose": scientific(infusion.dose_per_kg),
                    "target": scientific(infusion.target_per_kg),
                    "volume": infusion.volume_ml,
                    "rate": infusion.rate_ml_per_min,
                },
                State.REFUSED if infusion.dose_flagged or infusion.rate_flagged else State.DONE,
            )
        )
    if recipient.infusion_date is not None and recipient.inclusion_date is not None:
        months = frame_on(recipient.inclusion_date).participation_months
        events.append(
            Event(
                add_months(recipient.infusion_date, months),
                Step.FOLLOW_UP,
                _("End of the %(months)d-month follow-up") % {"months": months},
                _("planned"),
                State.PLANNED if recipient.end_date is None else State.DONE,
            )
        )
    return events


def _donor_chain(donor: Participant) -> list[Event]:
    events: list[Event] = []
    for selection in donor.selections.select_related("recipient"):
        events.append(
            Event(
                selection.selected_on,
                Step.DONOR,
                _("Chosen as the donor of %(code)s") % {"code": selection.recipient.code},
            )
        )
    for harvest in donor.harvests.select_related("operator"):
        events.append(_harvest_event(harvest))
    return events


def _harvest_event(harvest: Harvest) -> Event:
    return Event(
        harvest.harvested_on,
        Step.HARVEST,
        _("Bone-marrow harvest"),
        _("%(volume)s mL, %(site)s, %(anaesthetic)s")
        % {
            "volume": harvest.volume_ml,
            "site": harvest.get_puncture_site_display(),
            "anaesthetic": harvest.local_anaesthetic,
        },
    )


def localized_message(french: str, english: str) -> str:
    return localized(Message(french, english))
