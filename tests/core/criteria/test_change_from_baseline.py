"""Change from a baseline window (PFT decline, R-V1b): relative or absolute."""

from __future__ import annotations

import datetime as dt

from sclerocell.criteria.status import Status
from sclerocell.criteria.values import ChangeFromBaseline
from sclerocell.criteria.windows import Window

from .build import D, T, days, fact, run


def fvc(mode: str = "relative", threshold: float = 0.10) -> ChangeFromBaseline:
    return ChangeFromBaseline(
        id="fvc",
        text=T,
        code="fvc_pct_pred",
        current_window=Window(3),
        baseline_window=Window(18, 6),
        target_months=12,
        mode=mode,  # type: ignore[arg-type]
        threshold=threshold,
    )


def test_it_meets_a_relative_fall_of_exactly_ten_percent() -> None:
    facts = (fact("fvc_pct_pred", dt.date(2023, 5, 15), 80), fact("fvc_pct_pred", days(5), 72))
    result = run(fvc(), *facts)
    assert result.status is Status.MET
    assert result.evidence.value("fall") == 0.1


def test_it_does_not_meet_a_fall_just_under_ten_percent() -> None:
    facts = (fact("fvc_pct_pred", dt.date(2023, 5, 15), 80), fact("fvc_pct_pred", days(5), 72.1))
    assert run(fvc(), *facts).status is Status.NOT_MET


def test_it_reads_the_absolute_setting_in_points() -> None:
    facts = (fact("fvc_pct_pred", dt.date(2023, 5, 15), 80), fact("fvc_pct_pred", days(5), 72))
    assert run(fvc("absolute", 10), *facts).status is Status.NOT_MET  # 8 points
    facts = (fact("fvc_pct_pred", dt.date(2023, 5, 15), 80), fact("fvc_pct_pred", days(5), 70))
    assert run(fvc("absolute", 10), *facts).status is Status.MET  # 10 points


def test_it_takes_the_baseline_closest_to_twelve_months() -> None:
    facts = (
        fact("fvc_pct_pred", dt.date(2023, 1, 10), 100),  # 16 months
        fact("fvc_pct_pred", dt.date(2023, 6, 1), 80),  # ~11.5 months: closest
        fact("fvc_pct_pred", dt.date(2023, 11, 1), 90),  # ~6.5 months
        fact("fvc_pct_pred", days(5), 72),
    )
    result = run(fvc(), *facts)
    assert result.evidence.value("baseline") == 80


def test_it_prefers_the_later_of_two_equidistant_baselines() -> None:
    target = dt.date(2023, 5, 15)
    facts = (
        fact("fvc_pct_pred", target - dt.timedelta(days=20), 100),
        fact("fvc_pct_pred", target + dt.timedelta(days=20), 80),
        fact("fvc_pct_pred", days(5), 72),
    )
    assert run(fvc(), *facts).evidence.value("baseline") == 80


def test_it_is_unknown_without_a_baseline_in_the_window() -> None:
    facts = (
        fact("fvc_pct_pred", D - dt.timedelta(days=100), 90),
        fact("fvc_pct_pred", days(5), 60),
    )
    result = run(fvc(), *facts)
    assert result.status is Status.UNKNOWN
    assert result.evidence.missing is not None
    assert "between 18 and 6 months" in result.evidence.missing.en


def test_it_is_unknown_without_a_current_value() -> None:
    assert run(fvc(), fact("fvc_pct_pred", dt.date(2023, 5, 15), 80)).status is Status.UNKNOWN


def test_it_is_unknown_for_a_relative_fall_from_zero() -> None:
    facts = (fact("fvc_pct_pred", dt.date(2023, 5, 15), 0), fact("fvc_pct_pred", days(5), 0))
    assert run(fvc(), *facts).status is Status.UNKNOWN
