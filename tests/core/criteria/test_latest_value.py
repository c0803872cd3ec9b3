"""The latest value within a window compared with a threshold."""

from __future__ import annotations

from sclerocell.criteria.status import Status
from sclerocell.criteria.values import LatestValue
from sclerocell.criteria.windows import Window

from .build import T, days, fact, run

DLCO = LatestValue(id="dlco", text=T, code="dlco_pct_pred", window=Window(3), op="lt", threshold=60)


def test_it_meets_just_inside_the_threshold() -> None:
    assert run(DLCO, fact("dlco_pct_pred", days(10), 59.9)).status is Status.MET


def test_it_does_not_meet_on_a_strict_threshold() -> None:
    assert run(DLCO, fact("dlco_pct_pred", days(10), 60)).status is Status.NOT_MET


def test_it_reads_the_latest_value_only() -> None:
    facts = (fact("dlco_pct_pred", days(40), 45), fact("dlco_pct_pred", days(5), 65))
    result = run(DLCO, *facts)
    assert result.status is Status.NOT_MET
    assert result.evidence.facts[0].fact.value_num == 65


def test_it_breaks_date_ties_by_time_then_by_source_row() -> None:
    same_day = days(5)
    timed = (
        fact("dlco_pct_pred", same_day, 50, time="08:00", row="b"),
        fact("dlco_pct_pred", same_day, 70, time="17:00", row="a"),
        fact("dlco_pct_pred", same_day, 40, row="z"),  # no time: counts as the earliest
    )
    assert run(DLCO, *timed).evidence.facts[0].fact.value_num == 70
    untimed = (
        fact("dlco_pct_pred", same_day, 50, row="a"),
        fact("dlco_pct_pred", same_day, 70, row="b"),
    )
    assert run(DLCO, *untimed).evidence.facts[0].fact.source_row_id == "b"


def test_it_ignores_values_outside_the_window_and_says_what_is_missing() -> None:
    result = run(DLCO, fact("dlco_pct_pred", days(100), 40))
    assert result.status is Status.UNKNOWN
    assert result.evidence.missing is not None
    assert result.evidence.missing.en == (
        "a measurement of DLCO (% predicted) within the 3 months before the index date"
    )


def test_it_ignores_results_without_a_value() -> None:
    facts = (fact("dlco_pct_pred", days(30), 50), fact("dlco_pct_pred", days(2), None))
    assert run(DLCO, *facts).status is Status.MET


def test_it_can_read_a_missing_test_as_not_met() -> None:
    leaf = LatestValue(
        id="mpap",
        text=T,
        code="rhc_mpap",
        window=Window(12),
        op="gt",
        threshold=25,
        missing="not_met",
    )
    assert run(leaf).status is Status.NOT_MET
