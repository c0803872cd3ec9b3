"""Infused recipients at the two persona sites and adverse events recorded through the actions."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation

from sclerocell.web.accounts.models import User
from sclerocell.web.safety import actions
from sclerocell.web.safety.models import AdverseEvent
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial, make_trial

INFUSED = datetime.date(2015, 4, 15)
UTC = datetime.UTC

# CTCAE v5.0 terms used in the tests.
INFUSION_REACTION = "10051792"  # grades 1–5
FEVER = "10016558"  # grades 1–5
NAUSEA = "10028813"  # grades 1–3 only
LUNG_INFECTION = "10061229"  # grades 2–5
DEATH_NOS = "10011914"  # grade 5 only
BASAL_CELL = "10029104"  # Neoplasms … - Other, specify
SKIN_ULCERATION = "10040947"


def infuse(recipient: Participant, day: datetime.date = INFUSED) -> Participant:
    """Eligible, included two weeks before ``day`` and infused on ``day``.

    Written directly (first entries, outside any action): the inclusion rules belong to the
    enrolment and product chain, not to what these tests check.
    """
    Participant.objects.filter(pk=recipient.pk).update(
        eligibility="eligible",
        eligibility_date=day - datetime.timedelta(days=21),
        inclusion_date=day - datetime.timedelta(days=14),
        infusion_date=day,
    )
    return Participant.objects.select_related("site").get(pk=recipient.pk)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def event(participant: Participant, by: User, **overrides: Any) -> AdverseEvent:
    """A grade 1 infusion-related reaction on the infusion day, unless told otherwise."""
    fields: dict[str, Any] = {
        "meddra_code": INFUSION_REACTION,
        "grade": 1,
        "onset_date": participant.infusion_date or participant.screening_date,
        "outcome": "recovered",
        "end_date": participant.infusion_date or participant.screening_date,
        "relation_to_msc": "probable" if participant.infusion_date else "not_applicable",
    }
    if participant.is_donor:
        fields.update(relation_to_msc="not_applicable", relation_to_procedure="possible")
    fields.update(overrides)
    return actions.record_adverse_event(participant, by=by, **fields)


def serious(participant: Participant, by: User, **overrides: Any) -> AdverseEvent:
    """A grade 3 lung infection with hospitalisation, suspected and unexpected (a SUSAR)."""
    onset = participant.infusion_date + datetime.timedelta(days=20)  # type: ignore[operator]
    fields: dict[str, Any] = {
        "meddra_code": LUNG_INFECTION,
        "grade": 3,
        "onset_date": onset,
        "end_date": onset + datetime.timedelta(days=10),
        "relation_to_msc": "possible",
        "expectedness": "unexpected",
        "seriousness": ["hospitalisation"],
        "investigator_aware_at": at(onset, 10),
    }
    fields.update(overrides)
    return event(participant, by, **fields)


def fatal(participant: Participant, by: User, day: datetime.date, **overrides: Any) -> AdverseEvent:
    """The death on ``day``: a grade 5 event with its cause (it ends the participation)."""
    fields: dict[str, Any] = {
        "meddra_code": DEATH_NOS,
        "grade": 5,
        "onset_date": day - datetime.timedelta(days=2),
        "end_date": day,
        "outcome": "fatal",
        "relation_to_msc": "unlikely" if participant.infusion_date else "not_applicable",
        "seriousness": ["death"],
        "investigator_aware_at": at(day, 12),
        "death_cause": "Right ventricular failure (pulmonary hypertension of the disease)",
    }
    fields.update(overrides)
    return event(participant, by, **fields)


@dataclass
class Safety:
    """The trial of ``make_trial`` with both recipients infused and one event at each site."""

    trial: Trial
    recipient_a: Participant
    recipient_b: Participant
    event_a: AdverseEvent
    event_b: AdverseEvent


def make_safety(personas: Personas) -> Safety:
    trial = make_trial(personas)
    recipient_a = infuse(trial.recipient_a)
    recipient_b = infuse(trial.recipient_b)
    return Safety(
        trial,
        recipient_a,
        recipient_b,
        serious(recipient_a, personas.investigator_a),
        serious(recipient_b, personas.investigator_b),
    )


@pytest.fixture(autouse=True)
def _french_urls() -> Iterator[None]:
    """Every URL of these tests is reversed under /fr/, whatever page a previous test asked."""
    with translation.override("fr"):
        yield


@pytest.fixture
def safety(personas: Personas) -> Safety:
    return make_safety(personas)


@pytest.fixture
def recipient(personas: Personas) -> Participant:
    """An infused recipient at site A (no event yet)."""
    return infuse(make_trial(personas).recipient_a)
