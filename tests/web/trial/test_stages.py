"""The stage and the milestone counts come from one definition (stages.py)."""

from __future__ import annotations

import datetime

from sclerocell.web.trial import actions
from sclerocell.web.trial.models import Participant
from sclerocell.web.trial.stages import (
    Milestone,
    Stage,
    filter_stage,
    funnel,
    stage_counts,
    stage_of,
    with_stage,
)
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.safety.conftest import fatal
from tests.web.trial.conftest import Trial, included


def test_the_counts_agree_with_the_stage_of_each_participant(
    trial: Trial, personas: Personas
) -> None:
    included(trial.recipient_a, personas.investigator_a)
    actions.record_eligibility(
        trial.recipient_b,
        by=personas.investigator_b,
        eligibility="not_eligible",
        date=datetime.date(2015, 3, 20),
    )
    everyone = Participant.objects.all()
    counts = stage_counts(everyone)
    by_hand: dict[Stage, int] = dict.fromkeys(Stage, 0)
    for participant in Participant.objects.all():
        by_hand[stage_of(participant)] += 1
    assert counts == by_hand
    assert counts[Stage.ENROLLED] == 1
    assert counts[Stage.SCREEN_FAILURE] == 1
    assert counts[Stage.ELIGIBLE] == 1  # the donor chosen for the included recipient
    assert counts[Stage.SCREENING] == 1


def test_filtering_by_stage_returns_exactly_those_participants(
    trial: Trial, personas: Personas
) -> None:
    included(trial.recipient_a, personas.investigator_a)
    enrolled = filter_stage(Participant.objects.all(), Stage.ENROLLED)
    assert list(enrolled) == [trial.recipient_a]
    assert all(p.stage == Stage.ENROLLED for p in enrolled)


def test_the_annotated_stage_is_used_without_another_query(
    trial: Trial, django_assert_num_queries: object
) -> None:
    participant = with_stage(Participant.objects.filter(pk=trial.recipient_a.pk)).get()
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert stage_of(participant) is Stage.SCREENING


def test_the_funnel_counts_milestones_per_site_and_kind_cumulatively(
    trial: Trial, personas: Personas
) -> None:
    recipient = factories.infused(personas, trial.recipient_a)
    fatal(recipient, personas.investigator_a, datetime.date(2015, 9, 1))  # ends it: death
    rows = {(row.site_number, row.kind): row.counts for row in funnel(Participant.objects.all())}
    site_a_recipients = rows[(1, "recipient")]
    assert site_a_recipients[Milestone.SCREENED] == 1
    assert site_a_recipients[Milestone.ENROLLED] == 1
    assert site_a_recipients[Milestone.INFUSED] == 1
    assert site_a_recipients[Milestone.IN_FOLLOW_UP] == 0
    assert site_a_recipients[Milestone.ENDED] == 1
    assert rows[(2, "recipient")][Milestone.ENROLLED] == 0
    assert set(rows) == {(1, "recipient"), (1, "donor"), (2, "recipient"), (2, "donor")}
