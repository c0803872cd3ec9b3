"""The product chain of a test recipient, built through the actions like every real one.

Calendar (site A persona staff unless another site is asked for): screening 2015-03-02,
eligibility and donor choice 2015-03-16, inclusion 2015-04-01, harvest 2015-04-02, batch made
and released 2015-04-14, bedside check and infusion on 2015-04-15 (the date the trial tests
have always used). The recipient weighs 70 kg; the batch holds 70 × 10⁶ cells in 50 mL, the
level-1 target exactly.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sclerocell.web.accounts.models import User
from sclerocell.web.accounts.roles import Role
from sclerocell.web.product import actions
from sclerocell.web.product.label_pdf import product_code
from sclerocell.web.product.models import Batch, BedsideCheckAttempt, Harvest, ReleaseDecision
from sclerocell.web.trial import actions as trial_actions
from sclerocell.web.trial.models import Participant
from tests.web.conftest import PASSWORD, Personas, make_user
from tests.web.trial.conftest import SCREENED, new_consent, new_donor

D = datetime.date
ELIGIBLE_ON = SCREENED + datetime.timedelta(days=14)
INCLUDED_ON = D(2015, 4, 1)
HARVESTED_ON = D(2015, 4, 2)
MADE_ON = D(2015, 4, 14)
INFUSED_ON = D(2015, 4, 15)
WEIGHT = Decimal(70)
CELLS = 70_000_000

CONFORMING: dict[str, Any] = {
    "viability_pct": Decimal("92.0"),
    "cd73_pct": Decimal("99.0"),
    "cd90_pct": Decimal("98.0"),
    "cd105_pct": Decimal("97.0"),
    "cd45_pct": Decimal("0.5"),
    "cd34_pct": Decimal("0.3"),
    "cd14_cd11b_pct": Decimal("0.4"),
    "cd19_cd79a_pct": Decimal("0.2"),
    "hla_dr_pct": Decimal("0.6"),
    "sterility": "no_growth",
    "endotoxin_eu_per_ml": Decimal("0.2"),
    "mycoplasma": "negative",
    "karyotype": "normal",
}
VITALS = {
    "systolic_mmhg": 122,
    "diastolic_mmhg": 74,
    "heart_rate_bpm": 76,
    "temperature_c": Decimal("36.8"),
    "spo2_pct": 98,
}


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware instant in Paris time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def staff(personas: Personas, participant: Participant, role: Role) -> User:
    """The persona of ``role`` at the participant's site (created for site B when needed)."""
    site_a = participant.site_id == personas.site_a.pk
    if role is Role.INVESTIGATOR:
        return personas.investigator_a if site_a else personas.investigator_b
    if site_a and role is Role.RESEARCH_NURSE:
        return personas.nurse_a
    if site_a and role is Role.CELL_THERAPY_UNIT:
        return personas.cell_therapy_a
    username = f"{role.value}_b"
    existing = User.objects.filter(username=username).first()
    return existing or make_user(username, role, personas.site_b)


def unit(personas: Personas, participant: Participant) -> User:
    return staff(personas, participant, Role.CELL_THERAPY_UNIT)


def nurse(personas: Personas, participant: Participant) -> User:
    return staff(personas, participant, Role.RESEARCH_NURSE)


def eligible(participant: Participant, by: User) -> Participant:
    """A consent and the eligibility decision (2015-03-16)."""
    if not participant.consents.exists():
        new_consent(participant, by)
    if participant.eligibility != "eligible":
        participant = trial_actions.record_eligibility(
            participant, by=by, eligibility="eligible", date=ELIGIBLE_ON
        )
    return participant


def ready_to_include(recipient: Participant, by: User) -> tuple[Participant, Participant]:
    """The recipient and their first donor eligible and consenting, the donor chosen."""
    recipient = eligible(recipient, by)
    donor = recipient.donors.order_by("sequence").first() or new_donor(recipient, by)
    donor = eligible(donor, by)
    trial_actions.select_donor(recipient, by=by, donor=donor, date=ELIGIBLE_ON)
    return recipient, donor


def included_pair(
    recipient: Participant, by: User, day: datetime.date = INCLUDED_ON
) -> tuple[Participant, Participant]:
    """The recipient and their chosen donor, both included on ``day``."""
    recipient, donor = ready_to_include(recipient, by)
    recipient = trial_actions.enrol(recipient, by=by, date=day)
    donor = trial_actions.enrol(donor, by=by, date=day)
    return recipient, donor


def harvest(personas: Personas, donor: Participant, **overrides: Any) -> Harvest:
    fields: dict[str, Any] = {
        "harvested_on": HARVESTED_ON,
        "puncture_site": "posterior_iliac_crest",
        "volume_ml": Decimal(60),
        "local_anaesthetic": "lidocaïne 1 %",
        "operator_role": "hématologue",
    }
    fields.update(overrides)
    return actions.record_harvest(donor, by=unit(personas, donor), **fields)


def batch(personas: Personas, harvest_row: Harvest, **overrides: Any) -> Batch:
    fields: dict[str, Any] = {
        "number": f"L2015-{harvest_row.donor.recipient.code}",  # type: ignore[union-attr]
        "manufactured_on": MADE_ON,
        "passages": 2,
        "cell_count": CELLS,
        "volume_ml": Decimal(50),
        "expires_at": at(INFUSED_ON, 20),
        **CONFORMING,
    }
    fields.update(overrides)
    return actions.record_batch(harvest_row, by=unit(personas, harvest_row.donor), **fields)


def release(personas: Personas, batch_row: Batch, **overrides: Any) -> ReleaseDecision:
    fields: dict[str, Any] = {
        "outcome": "released",
        "password": PASSWORD,
        "meaning_confirmed": True,
        "recipient_weight_kg": WEIGHT,
        "at": at(MADE_ON, 17),
    }
    fields.update(overrides)
    return actions.release_batch(batch_row, by=unit(personas, batch_row.recipient), **fields)


def released_batch(personas: Personas, recipient: Participant, **overrides: Any) -> Batch:
    """An included recipient and donor, a harvest, a conforming batch, released."""
    by = staff(personas, recipient, Role.INVESTIGATOR)
    recipient, donor = included_pair(recipient, by)
    made = batch(personas, harvest(personas, donor), **overrides)
    release(personas, made)
    return made


def check(
    personas: Personas,
    recipient: Participant,
    batch_row: Batch,
    **overrides: Any,
) -> BedsideCheckAttempt:
    fields: dict[str, Any] = {
        "product_code": product_code(batch_row),
        "recipient_code": recipient.code,
        "weight_kg": WEIGHT,
        "at": at(INFUSED_ON, 9, 30),
    }
    fields.update(overrides)
    return actions.check_at_bedside(recipient, by=nurse(personas, recipient), **fields)


def infusion_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "started_at": at(INFUSED_ON, 9, 40),
        "ended_at": at(INFUSED_ON, 10, 20),
        "volume_ml": Decimal(50),
        "rate_ml_per_min": Decimal("1.25"),
        "weight_kg": WEIGHT,
        "vital_signs": {"before": VITALS, "during": VITALS, "after": VITALS},
        "immediate_reaction": False,
        "premedication": "paracétamol 1 g",
    }
    fields.update(overrides)
    return fields


def infused(personas: Personas, recipient: Participant) -> Participant:
    """The whole chain, infusion on 2015-04-15; returns the recipient as it now stands."""
    made = released_batch(personas, recipient)
    recipient = Participant.objects.get(pk=recipient.pk)
    accepted = check(personas, recipient, made)
    assert accepted.accepted, accepted.message_en
    actions.record_infusion(recipient, by=nurse(personas, recipient), **infusion_fields())
    return Participant.objects.get(pk=recipient.pk)
