"""A ratio to the upper limit of normal that persists (R-E2d) or occurs once (R-V3)."""

from __future__ import annotations

from sclerocell.criteria.status import Status
from sclerocell.criteria.values import UlnRatio
from sclerocell.criteria.windows import Window

from .build import T, days, fact, run

ALT = UlnRatio(
    id="alt",
    text=T,
    code="alt",
    window=Window(3),
    factor=3.0,
    op="ge",
    min_count=2,
    latest_must_qualify=True,
)
CREAT = UlnRatio(
    id="creat",
    text=T,
    code="creatinine",
    window=Window(6),
    factor=1.0,
    op="gt",
    min_count=1,
    latest_must_qualify=False,
)


def test_it_meets_three_times_the_uln_on_two_measurements_including_the_latest() -> None:
    facts = (fact("alt", days(20), 120, ref_high=40), fact("alt", days(2), 130, ref_high=40))
    assert run(ALT, *facts).status is Status.MET


def test_it_does_not_meet_just_under_three_times_the_uln() -> None:
    facts = (fact("alt", days(20), 120, ref_high=40), fact("alt", days(2), 119.9, ref_high=40))
    assert run(ALT, *facts).status is Status.NOT_MET


def test_it_is_unknown_on_a_single_high_value() -> None:
    result = run(ALT, fact("alt", days(2), 200, ref_high=40))
    assert result.status is Status.UNKNOWN
    assert result.evidence.missing is not None
    assert "repeat" in result.evidence.missing.en


def test_it_is_unknown_when_the_latest_uln_is_missing() -> None:
    facts = (fact("alt", days(20), 200, ref_high=40), fact("alt", days(2), 200))
    result = run(ALT, *facts)
    assert result.status is Status.UNKNOWN
    assert result.evidence.missing is not None
    assert "upper limit of normal" in result.evidence.missing.en


def test_it_needs_the_latest_measurement_to_be_high() -> None:
    facts = (
        fact("alt", days(40), 200, ref_high=40),
        fact("alt", days(20), 200, ref_high=40),
        fact("alt", days(2), 50, ref_high=40),
    )
    assert run(ALT, *facts).status is Status.NOT_MET


def test_it_is_unknown_without_measurements() -> None:
    assert run(ALT).status is Status.UNKNOWN


def test_it_meets_any_value_above_the_uln_in_the_window() -> None:
    facts = (
        fact("creatinine", days(100), 95, ref_high=90),
        fact("creatinine", days(2), 70, ref_high=90),
    )
    assert run(CREAT, *facts).status is Status.MET


def test_it_does_not_meet_a_value_equal_to_the_uln() -> None:
    assert run(CREAT, fact("creatinine", days(2), 90, ref_high=90)).status is Status.NOT_MET


def test_it_is_unknown_when_a_value_has_no_uln_and_none_is_above() -> None:
    facts = (fact("creatinine", days(100), 95), fact("creatinine", days(2), 70, ref_high=90))
    assert run(CREAT, *facts).status is Status.UNKNOWN
