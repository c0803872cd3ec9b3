"""Feasibility counts, exact Clopper–Pearson intervals, days from inclusion to infusion."""

from __future__ import annotations

import pytest

from sclerocell.product.feasibility import (
    FeasibilityStep,
    RecipientCourse,
    clopper_pearson,
    feasibility,
)
from sclerocell.product.messages import ProductInputError


@pytest.mark.parametrize(
    ("count", "total", "low", "high"),
    [
        (0, 20, 0.0, 0.1684),
        (10, 20, 0.2720, 0.7280),
        (20, 20, 0.8316, 1.0),
        (19, 20, 0.7513, 0.9987),
        (1, 1, 0.025, 1.0),
    ],
)
def test_clopper_pearson_matches_published_values(
    count: int, total: int, low: float, high: float
) -> None:
    assert clopper_pearson(count, total) == pytest.approx((low, high), abs=5e-5)


def test_clopper_pearson_zero_of_n_has_the_closed_form_upper_bound() -> None:
    # Upper bound for 0/n is 1 − (α/2)^(1/n).
    assert clopper_pearson(0, 20)[1] == pytest.approx(1 - 0.025 ** (1 / 20), rel=1e-12)


@pytest.mark.parametrize(("count", "total"), [(-1, 5), (6, 5), (0, 0)])
def test_clopper_pearson_refuses_impossible_counts(count: int, total: int) -> None:
    with pytest.raises(ProductInputError):
        clopper_pearson(count, total)


def _course(code: str, **steps: object) -> RecipientCourse:
    return RecipientCourse(code, included=True, **steps)  # type: ignore[arg-type]


FULL = {
    "donor_found": True,
    "harvest_done": True,
    "released_first_time": True,
    "infused": True,
    "infused_at_target_dose": True,
}


def test_it_counts_each_step_over_the_included_recipients() -> None:
    records = [
        _course("R1", **FULL, days_inclusion_to_infusion=30),
        _course("R2", **FULL, days_inclusion_to_infusion=45),
        _course("R3", **{**FULL, "infused_at_target_dose": False}, days_inclusion_to_infusion=60),
        _course("R4", donor_found=True, harvest_done=True),
        _course("R5"),
        RecipientCourse("S6", included=False, donor_found=True),
    ]
    report = feasibility(records)
    assert (report.records, report.included) == (6, 5)
    infused = report.steps[FeasibilityStep.INFUSED]
    assert (infused.count, infused.total, infused.estimate) == (3, 5, 0.6)
    assert infused.ci_low == pytest.approx(0.1466, abs=5e-5)
    assert infused.ci_high == pytest.approx(0.9473, abs=5e-5)
    assert report.steps[FeasibilityStep.DONOR_FOUND].count == 4
    assert report.steps[FeasibilityStep.INFUSED_AT_TARGET_DOSE].count == 2
    days = report.days_inclusion_to_infusion
    assert (days.n, days.median, days.minimum, days.maximum) == (3, 45.0, 30, 60)


def test_an_empty_trial_gives_no_proportions() -> None:
    report = feasibility([])
    assert report.steps[FeasibilityStep.INFUSED].estimate is None
    assert report.days_inclusion_to_infusion.median is None


def test_it_refuses_a_target_dose_without_an_infusion() -> None:
    with pytest.raises(ProductInputError) as error:
        feasibility([_course("R1", infused_at_target_dose=True)])
    assert "R1" in error.value.message.en


def test_it_refuses_a_negative_delay() -> None:
    with pytest.raises(ProductInputError) as error:
        feasibility([_course("R1", infused=True, days_inclusion_to_infusion=-2)])
    assert error.value.field == "days_inclusion_to_infusion"
