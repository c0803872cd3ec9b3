"""Onset period of an adverse event, grade ≥ 3 flag and malignancy flag."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sclerocell.followup.messages import FollowUpInputError
from sclerocell.followup.tolerance import (
    NEOPLASMS_SOC,
    OnsetPeriod,
    ToleranceSettings,
    classify_event,
)

INFUSION = date(2016, 1, 31)


@pytest.mark.parametrize(
    ("onset", "period"),
    [
        (INFUSION - timedelta(days=1), OnsetPeriod.BEFORE_INFUSION),
        (INFUSION, OnsetPeriod.IMMEDIATE),
        (INFUSION + timedelta(days=10), OnsetPeriod.IMMEDIATE),
        (INFUSION + timedelta(days=11), OnsetPeriod.EARLY),
        (date(2016, 4, 30), OnsetPeriod.EARLY),  # 3 calendar months after 31 January
        (date(2016, 5, 1), OnsetPeriod.LATE),
    ],
)
def test_it_classifies_the_onset_relative_to_the_infusion(onset: date, period: OnsetPeriod) -> None:
    assert classify_event(INFUSION, onset, 1).period is period


def test_the_immediate_period_is_a_setting() -> None:
    settings = ToleranceSettings(immediate_last_day=7)
    assert classify_event(INFUSION, INFUSION + timedelta(days=8), 1, settings=settings).period is (
        OnsetPeriod.EARLY
    )


@pytest.mark.parametrize(
    ("grade", "severe"), [(1, False), (2, False), (3, True), (4, True), (5, True)]
)
def test_it_flags_grade_3_or_more(grade: int, severe: bool) -> None:
    assert classify_event(INFUSION, INFUSION, grade).severe is severe


def test_it_flags_an_event_coded_in_the_neoplasms_soc() -> None:
    result = classify_event(INFUSION, date(2017, 6, 1), 3, soc=NEOPLASMS_SOC.upper())
    assert result.malignancy and result.period is OnsetPeriod.LATE
    assert "neoplasm to review" in result.message.en
    assert classify_event(INFUSION, date(2017, 6, 1), 2, soc="10029104").malignancy


def test_it_flags_a_malignancy_reported_by_the_investigator() -> None:
    assert classify_event(
        INFUSION, date(2017, 6, 1), 2, soc="General disorders", malignancy=True
    ).malignancy
    assert not classify_event(INFUSION, date(2017, 6, 1), 2, soc="General disorders").malignancy


@pytest.mark.parametrize("grade", [0, 6, True])
def test_it_refuses_a_grade_outside_1_to_5(grade: int) -> None:
    with pytest.raises(FollowUpInputError) as error:
        classify_event(INFUSION, INFUSION, grade)
    assert error.value.field == "grade"
