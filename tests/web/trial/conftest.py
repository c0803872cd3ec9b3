"""Participants at the two persona sites, created through the actions like every real one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from sclerocell.web.accounts.models import Site, User
from sclerocell.web.trial import actions
from sclerocell.web.trial.models import Consent, Participant
from tests.web.conftest import Personas

SCREENED = datetime.date(2015, 3, 2)
TOKEN_NAME = "tests"


def new_recipient(site: Site, by: User, **overrides: object) -> Participant:
    fields: dict[str, object] = {
        "birth_year": 1970,
        "birth_month": 6,
        "sex": "F",
        "screening_date": SCREENED,
    }
    fields.update(overrides)
    return actions.register_recipient(site, by=by, **fields)  # type: ignore[arg-type]


def new_donor(recipient: Participant, by: User, **overrides: object) -> Participant:
    fields: dict[str, object] = {
        "relationship": "sibling",
        "birth_year": 1972,
        "birth_month": 2,
        "sex": "M",
        "screening_date": SCREENED,
    }
    fields.update(overrides)
    return actions.register_donor(recipient, by=by, **fields)  # type: ignore[arg-type]


def new_consent(participant: Participant, by: User, **overrides: object) -> Consent:
    fields: dict[str, object] = {"form_version": "v1.0 of 10/02/2014", "signed_date": SCREENED}
    fields.update(overrides)
    return actions.record_consent(participant, by=by, **fields)  # type: ignore[arg-type]


def _eligible(participant: Participant, by: User) -> Participant:
    if not participant.consents.exists():
        new_consent(participant, by)
    return actions.record_eligibility(
        participant, by=by, eligibility="eligible", date=SCREENED + datetime.timedelta(days=14)
    )


def included(participant: Participant, by: User) -> Participant:
    """Consent, eligibility and inclusion, a month after screening. A recipient's first donor
    is made eligible and chosen first; a donor is chosen for their recipient."""
    participant = _eligible(participant, by)
    chosen = SCREENED + datetime.timedelta(days=14)
    if participant.is_recipient:
        donor = participant.donors.order_by("sequence").first() or new_donor(participant, by)
        donor = donor if donor.eligibility == "eligible" else _eligible(donor, by)
        actions.select_donor(participant, by=by, donor=donor, date=chosen)
    elif participant.recipient is not None:
        actions.select_donor(participant.recipient, by=by, donor=participant, date=chosen)
    return actions.enrol(participant, by=by, date=SCREENED + datetime.timedelta(days=30))


@dataclass
class Trial:
    """One recipient with a donor and a consent at each site."""

    recipient_a: Participant
    donor_a: Participant
    consent_a: Consent
    recipient_b: Participant
    donor_b: Participant
    consent_b: Consent


def make_trial(personas: Personas) -> Trial:
    recipient_a = new_recipient(personas.site_a, personas.investigator_a)
    recipient_b = new_recipient(personas.site_b, personas.investigator_b)
    return Trial(
        recipient_a=recipient_a,
        donor_a=new_donor(recipient_a, personas.investigator_a),
        consent_a=new_consent(recipient_a, personas.investigator_a),
        recipient_b=recipient_b,
        donor_b=new_donor(recipient_b, personas.investigator_b),
        consent_b=new_consent(recipient_b, personas.investigator_b),
    )


@pytest.fixture
def trial(personas: Personas) -> Trial:
    return make_trial(personas)


def bearer(user: User, *, read_only: bool = False) -> dict[str, str]:
    """Request headers carrying a fresh API token of ``user``."""
    from sclerocell.web.accounts.actions import issue_token

    _token, raw = issue_token(user, name=TOKEN_NAME, read_only=read_only)
    return {"Authorization": f"Bearer {raw}"}
