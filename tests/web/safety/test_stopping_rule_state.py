"""monitoring.stopping_rule_state: dose levels, toxicities and the rule of the core."""

from __future__ import annotations

import datetime

import pytest

from sclerocell.followup.stopping_rule import (
    DEFAULT_STOPPING_RULE,
    assess,
    review,
    stopping_boundaries,
)
from sclerocell.web.accounts.models import Site, User
from sclerocell.web.safety import monitoring
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.safety.conftest import FEVER, INFUSED, event, infuse
from tests.web.trial.conftest import new_recipient

DAY = datetime.timedelta(days=1)


def infused_recipients(site: Site, by: User, count: int) -> list[Participant]:
    """``count`` recipients included one day apart, in order (ranks 1, 2, …)."""
    return [infuse(new_recipient(site, by), INFUSED + index * DAY) for index in range(count)]


def toxicity(participant: Participant, by: User, **overrides: object) -> None:
    assert participant.infusion_date is not None
    onset = participant.infusion_date + 5 * DAY
    fields: dict[str, object] = {
        "meddra_code": FEVER,
        "grade": 3,
        "onset_date": onset,
        "end_date": onset,
        "relation_to_msc": "possible",
    }
    fields.update(overrides)
    event(participant, by, **fields)


def test_the_first_ten_included_are_dose_level_1_and_the_next_ones_level_2(
    personas: Personas,
) -> None:
    recipients = infused_recipients(personas.site_a, personas.investigator_a, 12)
    levels = monitoring.dose_levels()
    assert [levels[p.pk].level for p in recipients] == [1] * 10 + [2] * 2  # type: ignore[union-attr]


def test_its_numbers_are_those_of_followup_stopping_rule(personas: Personas) -> None:
    recipients = infused_recipients(personas.site_a, personas.investigator_a, 12)
    toxicity(recipients[0], personas.investigator_a)
    toxicity(recipients[0], personas.investigator_a)  # one recipient, counted once
    toxicity(recipients[3], personas.investigator_a)
    toxicity(recipients[11], personas.investigator_a)
    state = monitoring.stopping_rule_state()
    expected = review({1: (2, 10), 2: (1, 2)}, DEFAULT_STOPPING_RULE)
    assert state.level(1).assessment == expected.by_level[1]
    assert state.level(2).assessment == expected.by_level[2]
    assert state.overall == expected.overall == assess(3, 12)
    assert state.boundaries == stopping_boundaries(DEFAULT_STOPPING_RULE)
    assert state.level(1).toxic == (recipients[0].pk, recipients[3].pk)


def test_three_toxicities_among_three_stop_the_escalation(personas: Personas) -> None:
    recipients = infused_recipients(personas.site_a, personas.investigator_a, 3)
    for participant in recipients:
        toxicity(participant, personas.investigator_a)
    state = monitoring.stopping_rule_state()
    assert state.stop
    assert state.level(1).assessment.probability == pytest.approx(1 - 0.3**4)


def test_an_event_judged_unrelated_is_not_a_toxicity_by_default(personas: Personas) -> None:
    (participant,) = infused_recipients(personas.site_a, personas.investigator_a, 1)
    toxicity(participant, personas.investigator_a, relation_to_msc="not_related")
    toxicity(participant, personas.investigator_a, grade=2)
    assert monitoring.stopping_rule_state().overall.toxicities == 0


def test_counting_every_grade_3_event_is_a_setting(
    personas: Personas, settings: pytest.FixtureRequest
) -> None:
    settings.SCLEROCELL_STOPPING_ATTRIBUTION = "any"  # type: ignore[attr-defined]
    (participant,) = infused_recipients(personas.site_a, personas.investigator_a, 1)
    toxicity(participant, personas.investigator_a, relation_to_msc="not_related")
    assert monitoring.stopping_rule_state().overall.toxicities == 1


def test_the_prior_threshold_and_bound_are_settings(
    personas: Personas, settings: pytest.FixtureRequest
) -> None:
    settings.SCLEROCELL_STOPPING_THRESHOLD = 0.2  # type: ignore[attr-defined]
    settings.SCLEROCELL_STOPPING_BOUND = 0.9  # type: ignore[attr-defined]
    state = monitoring.stopping_rule_state()
    assert (state.settings.threshold, state.settings.bound) == (0.2, 0.9)
    assert state.boundaries == stopping_boundaries(state.settings)


def test_an_event_before_the_infusion_or_after_the_window_does_not_count(
    personas: Personas,
) -> None:
    (participant,) = infused_recipients(personas.site_a, personas.investigator_a, 1)
    before = INFUSED - 3 * DAY
    toxicity(
        participant,
        personas.investigator_a,
        onset_date=before,
        end_date=before,
        relation_to_msc="not_related",
    )
    state = monitoring.stopping_rule_state(as_of=INFUSED + 30 * DAY)
    assert (state.overall.treated, state.overall.toxicities) == (1, 0)


def test_recipients_of_every_site_are_counted(personas: Personas) -> None:
    infused_recipients(personas.site_a, personas.investigator_a, 2)
    infused_recipients(personas.site_b, personas.investigator_b, 3)
    assert monitoring.stopping_rule_state().overall.treated == 5


def test_a_recipient_not_yet_infused_is_not_treated(personas: Personas) -> None:
    new_recipient(personas.site_a, personas.investigator_a)
    assert monitoring.stopping_rule_state().overall.treated == 0
