"""Feasibility counts from the records (the function the analysis and the report call)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sclerocell.product.feasibility import FeasibilityStep
from sclerocell.web.product import actions
from sclerocell.web.product.feasibility import feasibility_report
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.trial.conftest import Trial, new_recipient


def test_the_numbers_on_a_small_trial(trial: Trial, personas: Personas) -> None:
    by = personas.investigator_a
    # 1: infused at the target dose, batch conforming at first decision.
    factories.infused(personas, trial.recipient_a)
    # 2: included, batch out of spec released under deviation, infused 10 % over the bag.
    second, donor = factories.included_pair(new_recipient(personas.site_a, by), by)
    low = factories.batch(
        personas, factories.harvest(personas, donor), number="L2015-B", viability_pct=Decimal(60)
    )
    factories.release(personas, low, deviation="Viability 60 %: accepted by the investigator")
    second.refresh_from_db()
    factories.check(personas, second, low, weight_kg=Decimal("64.0"))  # +9.4 %: accepted
    actions.record_infusion(
        second,
        by=personas.nurse_a,
        **factories.infusion_fields(weight_kg=Decimal("62.0")),  # +12.9 % on the day: flagged
    )
    # 3: included, donor harvested, no batch yet.
    third = new_recipient(personas.site_a, by)
    third, donor = factories.included_pair(third, by)
    factories.harvest(personas, donor)
    # 4: screened only (not counted).
    new_recipient(personas.site_a, by)

    report = feasibility_report(Participant.objects.filter(site=personas.site_a))
    assert (report.records, report.included) == (4, 3)
    counts = {step: report.steps[step].count for step in FeasibilityStep}
    assert counts == {
        FeasibilityStep.DONOR_FOUND: 3,
        FeasibilityStep.HARVEST_DONE: 3,
        FeasibilityStep.RELEASED_FIRST_TIME: 1,
        FeasibilityStep.INFUSED: 2,
        FeasibilityStep.INFUSED_AT_TARGET_DOSE: 1,
    }
    assert report.steps[FeasibilityStep.INFUSED].estimate == pytest.approx(2 / 3)
    assert report.steps[FeasibilityStep.INFUSED].ci_low == pytest.approx(0.0943, abs=1e-3)
    days = report.days_inclusion_to_infusion
    assert (days.n, days.median, days.minimum, days.maximum) == (2, 14.0, 14, 14)


def test_no_included_recipient_gives_no_proportion(trial: Trial) -> None:
    report = feasibility_report(Participant.objects.all())
    assert report.included == 0
    assert report.steps[FeasibilityStep.INFUSED].estimate is None
