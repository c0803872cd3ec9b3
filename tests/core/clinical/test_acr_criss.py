"""ACR-CRISS: step 1 events and the step-2 probability."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerocell.clinical.criss import (
    CrissChanges,
    Step1Events,
    acr_criss,
    criss_probability,
    fvc_step1_event,
)
from sclerocell.clinical.errors import ClinicalInputError

NO_EVENT = Step1Events(False, False, False, False)


@pytest.mark.parametrize(
    ("deltas", "expected"),
    [
        ((0, 0, 0, 0, 0), 0.003911),
        ((-5, 0, 0, 0, 0), 0.183922),
        ((-7, 0, 0, 0, 0), 0.532454),
        ((-4, 2, -1, -1, -0.25), 0.453262),
        ((-10, 5, -2, -2, -0.5), 0.999084),
    ],
)
def test_it_matches_the_published_vectors(
    deltas: tuple[float, float, float, float, float], expected: float
) -> None:
    assert round(criss_probability(CrissChanges(*deltas)), 6) == expected


def test_it_is_improved_at_a_probability_of_0_60_or_more() -> None:
    improved = acr_criss(NO_EVENT, CrissChanges(-10, 5, -2, -2, -0.5))
    assert improved.improved is True
    not_improved = acr_criss(NO_EVENT, CrissChanges(-7, 0, 0, 0, 0))
    assert not_improved.improved is False
    assert acr_criss(NO_EVENT, CrissChanges(-7, 0, 0, 0, 0), threshold=0.5).improved is True


def test_any_step_1_event_means_not_improved_with_probability_0() -> None:
    result = acr_criss(
        Step1Events(new_scleroderma_renal_crisis=True), CrissChanges(-10, 5, -2, -2, -0.5)
    )
    assert result.improved is False
    assert result.probability == 0.0
    assert result.step1_events == ("new_scleroderma_renal_crisis",)
    assert "step 1" in result.explain()


def test_unknown_step_1_events_only_matter_when_step_2_says_improved() -> None:
    unknown = Step1Events()
    assert acr_criss(unknown, CrissChanges(-10, 5, -2, -2, -0.5)).improved is None
    assert acr_criss(unknown, CrissChanges(0, 0, 0, 0, 0)).improved is False


def test_it_is_undetermined_without_the_changes() -> None:
    result = acr_criss(NO_EVENT, None)
    assert result.probability is None
    assert result.improved is None


def test_it_marks_other_intervals_than_12_months_as_exploratory() -> None:
    assert not acr_criss(NO_EVENT, CrissChanges(0, 0, 0, 0, 0)).exploratory
    six = acr_criss(NO_EVENT, CrissChanges(0, 0, 0, 0, 0), interval_months=6)
    assert six.exploratory
    assert "exploratory" in six.explain()


def test_it_rejects_changes_beyond_the_scales() -> None:
    with pytest.raises(ClinicalInputError) as caught:
        CrissChanges(0, 0, 11, 0, 0)
    assert caught.value.field == "delta_patient_global"


def test_the_fvc_event_needs_a_confirmed_15_percent_fall_with_ild_below_80() -> None:
    event = {"confirmed_within_a_month": True, "ild_on_hrct": True}
    assert fvc_step1_event(baseline_fvc=80, follow_up_fvc=68, **event) is True
    assert fvc_step1_event(baseline_fvc=80, follow_up_fvc=69, **event) is False  # 13.75 %
    assert fvc_step1_event(baseline_fvc=100, follow_up_fvc=84, **event) is False  # not < 80
    assert (
        fvc_step1_event(
            baseline_fvc=80, follow_up_fvc=68, confirmed_within_a_month=None, ild_on_hrct=True
        )
        is None
    )
    assert (
        fvc_step1_event(
            baseline_fvc=None, follow_up_fvc=90, confirmed_within_a_month=None, ild_on_hrct=None
        )
        is False
    )


small = st.tuples(
    st.floats(min_value=-15, max_value=15),
    st.floats(min_value=-20, max_value=20),
    st.floats(min_value=-10, max_value=10),
    st.floats(min_value=-10, max_value=10),
    st.floats(min_value=-3, max_value=3),
)
full = st.tuples(
    st.floats(min_value=-51, max_value=51),
    st.floats(min_value=-200, max_value=200),
    st.floats(min_value=-10, max_value=10),
    st.floats(min_value=-10, max_value=10),
    st.floats(min_value=-3, max_value=3),
)


@given(small)
def test_the_probability_is_strictly_between_0_and_1(
    deltas: tuple[float, float, float, float, float],
) -> None:
    assert 0.0 < criss_probability(CrissChanges(*deltas)) < 1.0


@given(full)
def test_the_probability_stays_within_0_and_1_on_the_whole_scale(
    deltas: tuple[float, float, float, float, float],
) -> None:
    assert 0.0 <= criss_probability(CrissChanges(*deltas)) <= 1.0


@given(small, st.floats(min_value=0.5, max_value=10))
def test_the_probability_falls_as_the_mrss_rises(
    deltas: tuple[float, float, float, float, float], step: float
) -> None:
    worse = (deltas[0] + step, *deltas[1:])
    assert criss_probability(CrissChanges(*worse)) < criss_probability(CrissChanges(*deltas))


@given(full, st.floats(min_value=0, max_value=10))
def test_the_probability_never_rises_with_the_mrss(
    deltas: tuple[float, float, float, float, float], step: float
) -> None:
    worse = (min(deltas[0] + step, 51.0), *deltas[1:])
    assert criss_probability(CrissChanges(*worse)) <= criss_probability(CrissChanges(*deltas))
