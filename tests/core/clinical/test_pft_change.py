"""Change in PFT values: absolute points and relative %."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerocell.clinical.errors import ClinicalInputError
from sclerocell.clinical.pft import pft_change


def test_it_matches_the_published_vector() -> None:
    change = pft_change(80, 72)
    assert change.absolute_points == -8
    assert change.relative_percent == pytest.approx(-10.0)
    assert change.relative_fraction == pytest.approx(-0.10)
    assert change.decline() == pytest.approx(10.0)
    assert change.decline("absolute") == pytest.approx(8.0)


def test_it_has_no_relative_change_from_a_zero_baseline() -> None:
    change = pft_change(0, 40)
    assert change.relative_percent is None
    assert change.decline() is None
    assert change.decline("absolute") == -40


@pytest.mark.parametrize(("baseline", "current"), [(-1, 50), (50, float("nan")), (None, 50)])
def test_it_rejects_invalid_values(baseline: object, current: object) -> None:
    with pytest.raises(ClinicalInputError):
        pft_change(baseline, current)  # type: ignore[arg-type]


def test_it_rejects_an_unknown_mode() -> None:
    with pytest.raises(ClinicalInputError, match="mode"):
        pft_change(80, 72).decline("proportional")


@given(
    baseline=st.floats(min_value=1, max_value=200),
    current=st.floats(min_value=0, max_value=200),
)
def test_absolute_and_relative_changes_agree_in_sign(baseline: float, current: float) -> None:
    change = pft_change(baseline, current)
    assert change.relative_percent is not None
    assert change.relative_percent == pytest.approx(change.absolute_points * 100 / baseline)
    assert (change.absolute_points < 0) == (change.relative_percent < 0)
