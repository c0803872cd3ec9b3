"""Time since the last exposure (R-I3b: 6 months after high-dose cyclophosphamide)."""

from __future__ import annotations

import datetime as dt

from sclerocell.criteria.exposure import TimeSinceLastExposure
from sclerocell.criteria.status import Status

from .build import T, fact, run

CYC = TimeSinceLastExposure(id="cyc", text=T, code="cyclophosphamide_iv_high_dose", months=6)
CODE = "cyclophosphamide_iv_high_dose"


def test_it_meets_exactly_six_months_after_the_last_course() -> None:
    assert run(CYC, fact(CODE, dt.date(2023, 11, 15), 1)).status is Status.MET


def test_it_does_not_meet_one_day_short_of_six_months() -> None:
    result = run(CYC, fact(CODE, dt.date(2023, 11, 16), 1))
    assert result.status is Status.NOT_MET
    assert result.evidence.facts[0].role == "last_course"


def test_it_reads_the_last_of_several_courses() -> None:
    facts = (fact(CODE, dt.date(2022, 1, 1), 1), fact(CODE, dt.date(2024, 1, 1), 1))
    assert run(CYC, *facts).status is Status.NOT_MET


def test_it_meets_when_never_given() -> None:
    result = run(CYC, fact(CODE, None, 0))
    assert result.status is Status.MET
    assert result.evidence.summary.en.endswith("never given")


def test_it_is_unknown_when_a_course_end_date_is_missing() -> None:
    result = run(CYC, fact(CODE, dt.date(2022, 1, 1), 1), fact(CODE, None, 1))
    assert result.status is Status.UNKNOWN
    assert result.evidence.missing is not None
    assert "end date" in result.evidence.missing.en


def test_it_does_not_need_an_unknown_end_date_when_a_known_course_is_too_recent() -> None:
    assert (
        run(CYC, fact(CODE, dt.date(2024, 3, 1), 1), fact(CODE, None, 1)).status is Status.NOT_MET
    )


def test_it_is_unknown_when_the_history_is_not_recorded() -> None:
    assert run(CYC).status is Status.UNKNOWN
