"""Dose escalation: level from inclusion rank, dose per kg, tolerance around the target."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerocell.product.dosing import (
    DEFAULT_DOSE_SETTINGS,
    DoseLevel,
    DoseSettings,
    acceptable_cells,
    cells_needed,
    check_dose,
    dose_level,
    dose_per_kg,
)
from sclerocell.product.messages import ProductInputError

LEVEL_1 = dose_level(1)
LEVEL_2 = dose_level(11)


@pytest.mark.parametrize(
    ("rank", "level", "per_kg"), [(1, 1, 1e6), (10, 1, 1e6), (11, 2, 3e6), (20, 2, 3e6)]
)
def test_it_assigns_the_level_from_the_inclusion_rank(rank: int, level: int, per_kg: float) -> None:
    assigned = dose_level(rank)
    assert (assigned.level, assigned.cells_per_kg) == (level, per_kg)


@pytest.mark.parametrize("rank", [0, -1, 21])
def test_it_refuses_a_rank_outside_the_trial_capacity(rank: int) -> None:
    with pytest.raises(ProductInputError) as error:
        dose_level(rank)
    assert error.value.field == "rank"
    assert "20" in error.value.message.fr


def test_it_refuses_a_rank_that_is_not_an_integer() -> None:
    with pytest.raises(ProductInputError):
        dose_level(True)
    with pytest.raises(ProductInputError):
        dose_level(1.0)  # type: ignore[arg-type]


def test_levels_and_capacity_are_settings() -> None:
    settings = DoseSettings(
        levels=(DoseLevel(1, 1, 3, 0.5e6), DoseLevel(2, 4, 6, 1e6), DoseLevel(3, 7, 9, 2e6)),
        capacity=9,
    )
    assert dose_level(5, settings).level == 2
    with pytest.raises(ProductInputError):
        dose_level(10, settings)


def test_settings_refuse_levels_with_a_gap_or_a_wrong_capacity() -> None:
    with pytest.raises(ValueError, match="contiguous"):
        DoseSettings(levels=(DoseLevel(1, 1, 10, 1e6), DoseLevel(2, 12, 20, 3e6)))
    with pytest.raises(ValueError, match="capacity"):
        DoseSettings(capacity=30)


def test_it_computes_the_dose_per_kg() -> None:
    assert dose_per_kg(70_000_000, 70) == 1e6
    assert dose_per_kg(210_000_000, 70.0) == 3e6


@pytest.mark.parametrize("weight", [0, -5, 0.0, float("nan"), float("inf")])
def test_it_refuses_an_impossible_weight(weight: float) -> None:
    with pytest.raises(ProductInputError) as error:
        dose_per_kg(70_000_000, weight)
    assert error.value.field == "weight_kg"


@pytest.mark.parametrize("cells", [0, -1, 1.5e6])
def test_it_refuses_an_impossible_cell_count(cells: int) -> None:
    with pytest.raises(ProductInputError) as error:
        dose_per_kg(cells, 70)
    assert error.value.field == "cells_infused"


def test_it_gives_the_cells_needed_for_a_weight() -> None:
    assert cells_needed(70, LEVEL_1) == 70_000_000
    assert cells_needed(62.5, LEVEL_2) == 187_500_000


def test_it_accepts_a_dose_exactly_ten_percent_above_the_target() -> None:
    check = check_dose(77_000_000, 70, LEVEL_1)
    assert check.within_tolerance
    assert not check.flagged
    assert check.relative_deviation == pytest.approx(0.10)


def test_it_accepts_a_dose_exactly_ten_percent_below_the_target() -> None:
    assert check_dose(189_000_000, 70.0, LEVEL_2).within_tolerance  # 2.7e6/kg


def test_it_flags_a_dose_one_cell_beyond_the_tolerance() -> None:
    high = check_dose(77_000_001, 70, LEVEL_1)
    low = check_dose(62_999_999, 70, LEVEL_1)
    assert high.flagged and low.flagged
    assert "outside tolerance" in high.message.en
    assert "hors tolérance" in low.message.fr


def test_the_tolerance_is_a_setting() -> None:
    strict = DoseSettings(tolerance=0.05)
    assert check_dose(77_000_000, 70, LEVEL_1, strict).flagged
    assert not check_dose(73_500_000, 70, LEVEL_1, strict).flagged


def test_the_boundary_holds_for_decimal_weights() -> None:
    # 1.1 × 10⁶ × 63.7 kg = 70 070 000 cells: exactly +10 %.
    assert check_dose(70_070_000, 63.7, LEVEL_1).within_tolerance
    assert check_dose(70_070_001, 63.7, LEVEL_1).flagged


@given(weight=st.integers(min_value=30, max_value=150), rank=st.integers(min_value=1, max_value=20))
def test_the_acceptable_range_matches_the_dose_check(weight: int, rank: int) -> None:
    level = dose_level(rank)
    low, high = acceptable_cells(weight, level)
    assert check_dose(low, weight, level).within_tolerance
    assert check_dose(high, weight, level).within_tolerance
    assert check_dose(low - 1, weight, level).flagged
    assert check_dose(high + 1, weight, level).flagged


def test_the_default_settings_are_the_published_escalation() -> None:
    assert DEFAULT_DOSE_SETTINGS.capacity == 20
    assert [
        (lv.first_rank, lv.last_rank, lv.cells_per_kg) for lv in DEFAULT_DOSE_SETTINGS.levels
    ] == [
        (1, 10, 1e6),
        (11, 20, 3e6),
    ]
    assert LEVEL_2.label().en == "Level 2 (3 × 10⁶ cells/kg, recipients 11–20)"
