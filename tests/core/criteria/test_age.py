"""Age at the index date from the month and year of birth."""

from __future__ import annotations

import datetime as dt

from sclerocell.criteria.age import AgeAt, age_bounds
from sclerocell.criteria.status import Status
from sclerocell.facts.schema import Fact

from .build import D, T, fact, run

ADULT = AgeAt(id="age", text=T, lower=18, upper=70, lower_inclusive=False, upper_inclusive=False)
DONOR = AgeAt(id="age", text=T, lower=18, upper=65, lower_inclusive=True, upper_inclusive=True)


def born(year: int, month: int) -> Fact:
    return fact("birth_month", dt.date(year, month, 1), text=f"{year}-{month:02d}")


def test_it_knows_the_age_exactly_outside_the_birth_month() -> None:
    assert age_bounds(dt.date(1980, 4, 1), D) == (44, 44)
    assert age_bounds(dt.date(1980, 6, 1), D) == (43, 43)


def test_it_gives_two_possible_ages_inside_the_birth_month() -> None:
    assert age_bounds(dt.date(1980, 5, 1), D) == (43, 44)
    assert age_bounds(dt.date(1980, 5, 1), dt.date(2024, 5, 31)) == (44, 44)
    assert age_bounds(dt.date(2000, 2, 1), dt.date(2018, 2, 28)) == (17, 18)  # leap birth year


def test_it_meets_strict_bounds_just_inside() -> None:
    assert run(ADULT, born(2005, 4)).status is Status.MET  # 19 years
    assert run(ADULT, born(1954, 6)).status is Status.MET  # 69 years


def test_it_rejects_strict_bounds_on_the_boundary() -> None:
    assert run(ADULT, born(2006, 4)).status is Status.NOT_MET  # exactly 18
    assert run(ADULT, born(1954, 4)).status is Status.NOT_MET  # exactly 70


def test_it_is_unknown_when_the_boundary_falls_inside_the_birth_month() -> None:
    result = run(ADULT, born(2005, 5))  # 18 or 19
    assert result.status is Status.UNKNOWN
    assert result.evidence.missing is not None
    assert "day of birth" in result.evidence.missing.en


def test_it_decides_inside_the_birth_month_when_both_ages_agree() -> None:
    assert run(ADULT, born(1980, 5)).status is Status.MET  # 43 or 44


def test_it_meets_inclusive_bounds_on_the_boundary() -> None:
    assert run(DONOR, born(2006, 4)).status is Status.MET  # 18
    assert run(DONOR, born(1959, 4)).status is Status.MET  # 65
    assert run(DONOR, born(1958, 4)).status is Status.NOT_MET  # 66


def test_it_is_unknown_without_a_month_of_birth() -> None:
    result = run(ADULT)
    assert result.status is Status.UNKNOWN
    assert result.evidence.missing is not None
    assert result.evidence.missing.en == "the month and year of birth"


def test_it_shows_the_ages_and_the_source_row() -> None:
    result = run(ADULT, born(1980, 5))
    assert result.evidence.value("age_min_years") == 43
    assert result.evidence.value("age_max_years") == 44
    assert result.evidence.facts[0].fact.code == "birth_month"
