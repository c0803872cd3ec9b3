"""Infused recipients at the two persona sites, their visits and forms, through the actions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from sclerocell.clinical import mrss
from sclerocell.web.accounts.models import User
from sclerocell.web.audit.context import audit_scope
from sclerocell.web.followup import actions
from sclerocell.web.followup.models import OutcomeForm, Visit
from sclerocell.web.trial.models import Participant
from tests.web.conftest import PASSWORD, Personas
from tests.web.trial.conftest import Trial, make_trial

INFUSED = datetime.date(2015, 4, 15)
BASELINE_DAY = datetime.date(2015, 4, 10)


def infuse(participant: Participant, day: datetime.date = INFUSED) -> Participant:
    """An included recipient infused on ``day``.

    Eligibility, inclusion and infusion belong to other apps whose paths evolve; the follow-up
    needs only their dates (the infusion date anchors the schedule), set here as first entries.
    """
    with audit_scope(by=None, action="test_infusion"):
        Participant.objects.filter(pk=participant.pk).update(
            eligibility="eligible",
            eligibility_date=day - datetime.timedelta(days=30),
            inclusion_date=day - datetime.timedelta(days=14),
            infusion_date=day,
        )
    participant.refresh_from_db()
    return participant


def mrss_sites(total: int) -> dict[str, int]:
    """17 site scores summing to ``total`` (filled from the first site)."""
    scores = dict.fromkeys(mrss.SITE_IDS, 0)
    for site in mrss.SITE_IDS:
        scores[site] = min(3, total)
        total -= scores[site]
    return scores


@dataclass
class FollowUp:
    """The trial fixture with both recipients infused and a baseline visit each."""

    trial: Trial
    recipient_a: Participant
    recipient_b: Participant
    baseline_a: Visit
    baseline_b: Visit

    def visit(self, code: str, day: datetime.date, *, by: User, site: str = "a") -> Visit:
        recipient = self.recipient_a if site == "a" else self.recipient_b
        return actions.record_visit(recipient, by=by, code=code, visit_date=day)


def make_followup(personas: Personas) -> FollowUp:
    trial = make_trial(personas)
    a = infuse(trial.recipient_a)
    b = infuse(trial.recipient_b)
    return FollowUp(
        trial=trial,
        recipient_a=a,
        recipient_b=b,
        baseline_a=actions.record_visit(a, by=personas.nurse_a, code="BL", visit_date=BASELINE_DAY),
        baseline_b=actions.record_visit(
            b, by=personas.investigator_b, code="BL", visit_date=BASELINE_DAY
        ),
    )


@pytest.fixture
def followup(personas: Personas) -> FollowUp:
    return make_followup(personas)


def enter(visit: Visit, code: str, by: User, **values: Any) -> OutcomeForm:
    return actions.save_form(visit, code, by=by, values=values)


def through(form: OutcomeForm, personas: Personas, last: str = "locked") -> OutcomeForm:
    """Take a complete-able draft through the life cycle up to ``last``."""
    steps = [
        ("complete", lambda f: actions.complete_form(f, by=personas.nurse_a)),
        ("verified", lambda f: actions.verify_form(f, by=personas.monitor_a)),
        (
            "signed",
            lambda f: actions.sign_form(f, by=personas.investigator_a, password=PASSWORD),
        ),
        ("locked", lambda f: actions.lock_form(f, by=personas.data_manager_a)),
    ]
    for status, step in steps:
        form = step(form)
        if status == last:
            break
    return form


VITALS = {"systolic_bp": 120, "diastolic_bp": 75, "heart_rate": 70, "weight": "61.5"}
