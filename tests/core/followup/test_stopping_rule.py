"""Bayesian beta-binomial safety stopping rule."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import beta

from sclerocell.followup.messages import FollowUpInputError
from sclerocell.followup.stopping_rule import (
    StoppingRuleSettings,
    assess,
    posterior_probability,
    review,
    stopping_boundaries,
)


def _uniform_prior_by_hand(x: int, n: int, theta: float) -> float:
    # Under Beta(1, 1), P(p > θ | x, n) = P(Binomial(n + 1, θ) ≤ x).
    return sum(math.comb(n + 1, k) * theta**k * (1 - theta) ** (n + 1 - k) for k in range(x + 1))


def test_three_toxicities_among_three_match_the_hand_worked_value() -> None:
    assert posterior_probability(3, 3) == pytest.approx(1 - 0.3**4, abs=1e-12)
    assert round(posterior_probability(3, 3), 4) == 0.9919


@pytest.mark.parametrize(("x", "n"), [(0, 0), (0, 5), (1, 2), (2, 4), (5, 10), (8, 20)])
def test_the_posterior_probability_matches_the_binomial_identity(x: int, n: int) -> None:
    assert posterior_probability(x, n) == pytest.approx(
        _uniform_prior_by_hand(x, n, 0.3), abs=1e-12
    )


def test_the_posterior_probability_matches_scipy_for_another_prior() -> None:
    settings = StoppingRuleSettings(prior_a=0.5, prior_b=1.5, threshold=0.25, bound=0.9)
    assert posterior_probability(2, 6, settings) == pytest.approx(beta.sf(0.25, 2.5, 5.5))


def test_it_stops_when_the_probability_exceeds_the_bound() -> None:
    stop = assess(2, 3)
    assert stop.stop and (stop.posterior_a, stop.posterior_b) == (3.0, 2.0)
    assert "safety board" in stop.message.en
    go = assess(1, 2)  # P = 0.784
    assert not go.stop
    assert "Poursuite" in go.message.fr


def test_the_bound_is_strict() -> None:
    probability = posterior_probability(1, 2)
    assert not assess(1, 2, StoppingRuleSettings(bound=probability)).stop


def test_the_boundary_table_for_the_default_rule() -> None:
    table = {b.treated: b.min_toxicities for b in stopping_boundaries()}
    assert len(table) == 20
    assert [table[n] for n in (1, 2, 3, 4, 5, 7, 8, 10, 13, 16, 19, 20)] == [
        1,
        2,
        2,
        2,
        3,
        3,
        4,
        5,
        6,
        7,
        8,
        8,
    ]


def test_the_boundary_is_the_first_count_that_stops() -> None:
    for boundary in stopping_boundaries():
        assert boundary.min_toxicities is not None
        assert assess(boundary.min_toxicities, boundary.treated).stop
        if boundary.min_toxicities > 0:
            assert not assess(boundary.min_toxicities - 1, boundary.treated).stop


def test_a_boundary_is_none_when_nothing_can_stop_the_rule() -> None:
    lenient = StoppingRuleSettings(threshold=0.9, bound=0.99, max_n=2)
    assert [b.min_toxicities for b in stopping_boundaries(lenient)] == [None, None]


@given(n=st.integers(min_value=1, max_value=40), data=st.data())
def test_the_rule_is_monotone_in_the_number_of_toxicities(n: int, data: st.DataObject) -> None:
    x = data.draw(st.integers(min_value=0, max_value=n - 1))
    assert posterior_probability(x + 1, n) >= posterior_probability(x, n)
    if assess(x, n).stop:
        assert assess(x + 1, n).stop


def test_it_reviews_each_dose_level_and_overall() -> None:
    result = review({1: (1, 10), 2: (4, 6)})
    assert not result.by_level[1].stop
    assert result.by_level[2].stop
    assert (result.overall.toxicities, result.overall.treated) == (5, 16)
    assert not result.overall.stop
    assert result.stop


def test_it_refuses_more_toxicities_than_recipients() -> None:
    with pytest.raises(FollowUpInputError) as error:
        assess(3, 2)
    assert error.value.field == "toxicities"


def test_settings_refuse_a_prior_that_stops_before_any_data() -> None:
    with pytest.raises(ValueError, match="prior alone"):
        StoppingRuleSettings(prior_a=5, prior_b=1)
