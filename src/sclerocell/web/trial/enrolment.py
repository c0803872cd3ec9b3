"""The rules of inclusion: the study frame in force, dose cohorts, the safety-board gate, donors.

- **Study frame** (CRITERIA.md, study frame): at most 20 recipients and 20 donors included,
  inclusion from 1 March 2014 for 4.5 years (last day 31 August 2018), 2 years of participation.
  A recorded :class:`~.models.ProtocolAmendment` changes any of these from its effective date;
  :func:`frame_on` folds the amendments in force on a day over the protocol's values.
- **Dose cohorts** (``sclerocell.product.dosing``): the recipient included at rank *n* gets the
  level of rank *n* (1–10: 1 × 10⁶ cells/kg, 11–20: 3 × 10⁶). A capacity changed by amendment
  stretches (or cuts) the last level to the new capacity.
- **Safety-board gate**: level *L* > 1 opens on a day only if the safety board's latest
  decision on level *L − 1* dated on or before that day is "open the next dose level", and a
  recipient of a level > 1 is included only while the Bayesian stopping rule
  (``safety.monitoring.stopping_rule_state``, as of the inclusion date) does not say stop, at
  any level or overall: a triggered rule holds the inclusion until the toxicities change the
  picture (an event re-graded or re-attributed) — the board's decision alone does not lift it.
- **Donor priority** (D-I2, ``sclerocell.product.donors``): eligible donors with a consent in
  force are ranked by family tier; a child counts with "other family members" (tier 3), as in
  ``models.RELATIONSHIP_PRIORITY``.

Pure reads: the actions (``actions.enrol``, ``actions.select_donor``…) call these and write.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sclerocell.product.donors import DonorCandidate, DonorChoice, choose_donor, rank_donors
from sclerocell.product.donors import Relationship as PriorityRelationship
from sclerocell.product.dosing import DEFAULT_DOSE_SETTINGS, DoseLevel, DoseSettings
from sclerocell.product.messages import Message

from .models import (
    Eligibility,
    Participant,
    ProtocolAmendment,
    Relationship,
    SafetyBoardDecision,
    SafetyBoardOutcome,
)


@dataclass(frozen=True)
class StudyFrame:
    """Capacity and calendar of the study under one protocol version."""

    version: str
    reference: str
    recipients_max: int
    donors_max: int
    inclusion_start: datetime.date
    inclusion_end: datetime.date
    participation_months: int

    def capacity(self, kind: str) -> int:
        return self.recipients_max if kind == "recipient" else self.donors_max

    def dose_settings(self) -> DoseSettings:
        """The protocol's dose levels fitted to this frame's recipient capacity."""
        return dose_settings_for(self.recipients_max, self.version)


# The synopsis: 20 + 20, inclusion over 4.5 years from March 2014, 2 years each.
PROTOCOL_FRAME = StudyFrame(
    version="v1",
    reference="AOM11250 (NCT02213705)",
    recipients_max=20,
    donors_max=20,
    inclusion_start=datetime.date(2014, 3, 1),
    inclusion_end=datetime.date(2018, 8, 31),
    participation_months=24,
)


def frame_on(day: datetime.date) -> StudyFrame:
    """The study frame in force on ``day``: the protocol's, changed by each amendment in force."""
    frame = PROTOCOL_FRAME
    for amendment in ProtocolAmendment.objects.filter(effective_from__lte=day):
        frame = apply_amendment(frame, amendment)
    return frame


def apply_amendment(frame: StudyFrame, amendment: ProtocolAmendment) -> StudyFrame:
    return replace(
        frame,
        version=amendment.version,
        reference=amendment.reference,
        recipients_max=amendment.recipients_max or frame.recipients_max,
        donors_max=amendment.donors_max or frame.donors_max,
        inclusion_end=amendment.inclusion_end or frame.inclusion_end,
        participation_months=amendment.participation_months or frame.participation_months,
    )


def dose_settings_for(capacity: int, version: str = "v1") -> DoseSettings:
    """The default levels cut at ``capacity``, the last one reaching it."""
    levels: list[DoseLevel] = []
    for level in DEFAULT_DOSE_SETTINGS.levels:
        if level.first_rank > capacity:
            break
        levels.append(replace(level, last_rank=min(level.last_rank, capacity)))
    levels[-1] = replace(levels[-1], last_rank=capacity)
    return DoseSettings(
        version=f"{version}: {DEFAULT_DOSE_SETTINGS.version}",
        levels=tuple(levels),
        capacity=capacity,
        tolerance=DEFAULT_DOSE_SETTINGS.tolerance,
    )


def localized(message: Message) -> str:
    """The French or English text of a core message, in the active language."""
    return message.fr if (translation.get_language() or "fr").startswith("fr") else message.en


# --- The safety-board gate ---------------------------------------------------------------------


def decision_in_force(level: int, day: datetime.date) -> SafetyBoardDecision | None:
    """The safety board's latest decision on ``level`` dated on or before ``day``."""
    return (
        SafetyBoardDecision.objects.filter(dose_level=level, decided_on__lte=day)
        .order_by("-decided_on", "-pk")
        .first()
    )


def level_is_open(level: int, day: datetime.date) -> bool:
    if level <= 1:
        return True
    decision = decision_in_force(level - 1, day)
    return decision is not None and decision.outcome == SafetyBoardOutcome.ESCALATE


def stopping_rule_holds(rank: int, level: DoseLevel, day: datetime.date) -> list[str]:
    """Why inclusion no. ``rank`` at ``level`` is held on ``day`` by the stopping rule (empty
    when it is not: level 1, or the rule does not say stop)."""
    if level.level <= 1:
        return []
    from sclerocell.web.safety.monitoring import stopping_rule_state  # safety builds on trial

    state = stopping_rule_state(as_of=day)
    if not state.stop:
        return []
    triggered = [s for s in state.levels if s.assessment.stop]
    assessment = triggered[0].assessment if triggered else state.overall
    values = {
        "rank": rank,
        "level": localized(level.label()),
        "date": day.isoformat(),
        "where": (
            ", ".join(str(s.level.level) for s in triggered) if triggered else _("all levels")
        ),
        "toxicities": assessment.toxicities,
        "treated": assessment.treated,
        "threshold": f"{state.settings.threshold:g}",
        "probability": f"{assessment.probability:.2f}",
    }
    return [
        _(
            "On hold: inclusion no. %(rank)d is at %(level)s, but on %(date)s the stopping rule "
            "says stop (dose level %(where)s: %(toxicities)d toxicity(ies) among %(treated)d "
            "infused recipients, probability %(probability)s that the toxicity rate exceeds "
            "%(threshold)s). No inclusion at a higher dose level until the safety board has "
            "reviewed these toxicities."
        )
        % values
    ]


# --- Donors ------------------------------------------------------------------------------------

# The core's tiers have no "child": the trial ranks children with other family members.
_PRIORITY_RELATIONSHIP = {
    Relationship.SIBLING: PriorityRelationship.SIBLING,
    Relationship.PARENT: PriorityRelationship.PARENT,
    Relationship.CHILD: PriorityRelationship.OTHER_FAMILY,
    Relationship.COUSIN: PriorityRelationship.COUSIN,
    Relationship.OTHER_FAMILY: PriorityRelationship.OTHER_FAMILY,
    Relationship.SPOUSE: PriorityRelationship.SPOUSE,
}


def has_consent_on(participant: Participant, day: datetime.date) -> bool:
    in_force = participant.consents.filter(signed_date__lte=day)
    return (
        in_force.filter(withdrawn_date__isnull=True).exists()
        or in_force.filter(withdrawn_date__gt=day).exists()
    )


def donor_is_available(donor: Participant, day: datetime.date) -> bool:
    """Eligible (D-* criteria), participating, and with a consent in force on ``day``."""
    return (
        donor.eligibility == Eligibility.ELIGIBLE
        and (donor.end_date is None or donor.end_date > day)
        and has_consent_on(donor, day)
    )


def candidates(recipient: Participant, day: datetime.date) -> list[DonorCandidate]:
    donors = recipient.donors.order_by("sequence")
    return [
        DonorCandidate(
            code=donor.code,
            relationship=_PRIORITY_RELATIONSHIP[Relationship(donor.relationship)],
            eligible=donor_is_available(donor, day),
        )
        for donor in donors
    ]


def ranking(recipient: Participant, day: datetime.date) -> dict[str, int]:
    """Priority tier (1 = highest) of each available donor of ``recipient``, by study code."""
    return {
        ranked.candidate.code: ranked.priority for ranked in rank_donors(candidates(recipient, day))
    }


def donor_choice(
    recipient: Participant, donor: Participant, day: datetime.date, justification: str
) -> DonorChoice:
    return choose_donor(candidates(recipient, day), donor.code, justification or None)
