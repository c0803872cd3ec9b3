"""The dose-escalation gate reads the Bayesian stopping rule: a level-2 inclusion is held while
the rule says stop, even with the safety board's decision to open the level."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import translation

from sclerocell.web.trial import actions
from sclerocell.web.trial.models import Enrolment, InclusionCounter, Participant
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import refusal
from tests.web.safety.conftest import FEVER, event
from tests.web.trial.conftest import Trial

D = datetime.date
DECIDED = D(2015, 4, 25)
INCLUDED = D(2015, 5, 4)


def _level_one_infused_and_opened(
    trial: Trial, personas: Personas, *, toxicity: bool
) -> Participant:
    """Site A's recipient infused at level 1 (with a grade 3 suspected toxicity, if asked),
    ten inclusions counted, the safety board's decision to open level 2; returns site B's
    recipient, ready to be included as no. 11."""
    infused = factories.infused(personas, trial.recipient_a)
    if toxicity:
        event(
            infused,
            personas.investigator_a,
            meddra_code=FEVER,
            grade=3,
            onset_date=factories.INFUSED_ON + datetime.timedelta(days=5),
            end_date=factories.INFUSED_ON + datetime.timedelta(days=6),
            relation_to_msc="possible",
        )
    InclusionCounter.objects.filter(kind="recipient").update(last_rank=10)
    actions.record_safety_board_decision(
        by=personas.investigator_a,
        dose_level=1,
        outcome="escalate",
        decided_on=DECIDED,
        minutes_reference="CSI-2015-04",
    )
    recipient, _donor = factories.ready_to_include(trial.recipient_b, personas.investigator_b)
    return recipient


def test_a_level_two_inclusion_is_held_while_the_stopping_rule_says_stop(
    trial: Trial, personas: Personas
) -> None:
    recipient = _level_one_infused_and_opened(trial, personas, toxicity=True)
    text = refusal(lambda: actions.enrol(recipient, by=personas.investigator_b, date=INCLUDED))
    assert "On hold: inclusion no. 11 is at Level 2" in text
    assert "the stopping rule says stop (dose level 1: 1 toxicity(ies) among 1 infused" in text
    recipient.refresh_from_db()
    assert recipient.inclusion_date is None
    assert InclusionCounter.objects.get(kind="recipient").last_rank == 10


def test_without_a_toxicity_the_safety_board_decision_opens_level_two(
    trial: Trial, personas: Personas
) -> None:
    recipient = _level_one_infused_and_opened(trial, personas, toxicity=False)
    included = actions.enrol(recipient, by=personas.investigator_b, date=INCLUDED)
    assert Enrolment.objects.get(participant=included).dose_level == 2


def test_a_toxicity_after_the_inclusion_date_does_not_hold_it(
    trial: Trial, personas: Personas
) -> None:
    recipient = _level_one_infused_and_opened(trial, personas, toxicity=True)
    early = factories.INFUSED_ON + datetime.timedelta(days=2)  # before the toxicity's onset
    actions.record_safety_board_decision(
        by=personas.investigator_a,
        dose_level=1,
        outcome="escalate",
        decided_on=early,
        minutes_reference="CSI-2015-04-bis",
    )
    included = actions.enrol(recipient, by=personas.investigator_b, date=early)
    assert Enrolment.objects.get(participant=included).rank == 11


def test_the_inclusion_page_shows_the_hold_in_french(trial: Trial, personas: Personas) -> None:
    recipient = _level_one_infused_and_opened(trial, personas, toxicity=True)
    with translation.override("fr"):
        url = reverse("trial:enrol", args=[recipient.code])
    response = personas.client(personas.investigator_b).post(url, {"date": INCLUDED.isoformat()})
    assert response.status_code == 400
    assert "la règle d’arrêt" in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.inclusion_date is None
