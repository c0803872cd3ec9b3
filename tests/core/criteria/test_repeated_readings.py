"""Repeated readings at least 12 h apart (R-V3 hypertension)."""

from __future__ import annotations

from sclerocell.criteria.readings import Qualifier, RepeatedReadings
from sclerocell.criteria.status import Status
from sclerocell.criteria.windows import Window

from .build import T, days, fact, run

BP = RepeatedReadings(
    id="bp",
    text=T,
    qualifiers=(Qualifier("sbp", "ge", 160), Qualifier("dbp", "gt", 110)),
    window=Window(3),
    min_gap_hours=12,
)


def test_it_meets_two_readings_exactly_twelve_hours_apart() -> None:
    facts = (fact("sbp", days(3), 160, time="08:00"), fact("sbp", days(3), 165, time="20:00"))
    assert run(BP, *facts).status is Status.MET


def test_it_does_not_count_readings_less_than_twelve_hours_apart() -> None:
    facts = (fact("sbp", days(3), 170, time="08:00"), fact("sbp", days(3), 170, time="19:59"))
    result = run(BP, *facts)
    assert result.status is Status.UNKNOWN
    assert result.evidence.missing is not None
    assert "second reading" in result.evidence.missing.en


def test_it_is_unknown_when_times_are_missing_on_the_same_day() -> None:
    facts = (fact("sbp", days(3), 170, row="a"), fact("dbp", days(3), 115, time="09:00", row="b"))
    result = run(BP, *facts)
    assert result.status is Status.UNKNOWN
    assert result.evidence.missing is not None
    assert "times" in result.evidence.missing.en


def test_it_counts_untimed_readings_on_different_days_as_apart() -> None:
    facts = (fact("sbp", days(3), 170), fact("dbp", days(2), 112))
    assert run(BP, *facts).status is Status.MET


def test_it_treats_systolic_and_diastolic_of_one_untimed_reading_as_one_reading() -> None:
    facts = (fact("sbp", days(3), 170), fact("dbp", days(3), 115))
    result = run(BP, *facts)
    assert result.status is Status.UNKNOWN
    assert result.evidence.missing is not None
    assert "second reading" in result.evidence.missing.en


def test_it_applies_the_strict_diastolic_threshold() -> None:
    facts = (fact("dbp", days(3), 110, time="08:00"), fact("dbp", days(2), 110, time="08:00"))
    assert run(BP, *facts).status is Status.NOT_MET


def test_it_is_unknown_without_any_reading() -> None:
    assert run(BP).status is Status.UNKNOWN
    assert run(BP, fact("sbp", days(200), 190, time="08:00")).status is Status.UNKNOWN
