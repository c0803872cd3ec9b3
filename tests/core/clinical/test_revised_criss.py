"""Revised CRISS: relative improvement in core items, with settings."""

from __future__ import annotations

import pytest

from sclerocell.clinical.criss import (
    CoreSet,
    RevisedCrissSettings,
    Step1Events,
    revised_criss,
)
from sclerocell.clinical.errors import ClinicalInputError

NO_EVENT = Step1Events(False, False, False, False)
BASELINE = CoreSet(
    mrss=30, fvc_percent_predicted=60, patient_global=6, physician_global=6, haq_di=1.5
)


def test_the_defaults_are_those_of_domain_md() -> None:
    s = RevisedCrissSettings()
    assert (s.improvement_percent, s.fvc_improvement_percent, s.min_items_improved) == (20, 5, 3)
    assert s.apply_step1


def test_three_items_improved_by_20_percent_make_a_responder() -> None:
    follow_up = CoreSet(
        mrss=24, fvc_percent_predicted=60, patient_global=4.8, physician_global=6, haq_di=1.2
    )
    result = revised_criss(BASELINE, follow_up, step1=NO_EVENT)
    assert result.improved is True
    assert result.improved_count_min == 3


def test_fvc_uses_its_own_5_percent_threshold() -> None:
    follow_up = CoreSet(
        mrss=24, fvc_percent_predicted=63, patient_global=4.8, physician_global=6, haq_di=1.5
    )
    result = revised_criss(BASELINE, follow_up, step1=NO_EVENT)
    fvc = next(i for i in result.items if i.item == "fvc_percent_predicted")
    assert fvc.improvement_percent == pytest.approx(5.0)
    assert fvc.improved is True
    assert result.improved is True


def test_two_items_are_not_enough_and_the_threshold_is_a_setting() -> None:
    follow_up = CoreSet(
        mrss=24, fvc_percent_predicted=60, patient_global=4.8, physician_global=6, haq_di=1.5
    )
    assert revised_criss(BASELINE, follow_up, step1=NO_EVENT).improved is False
    lenient = RevisedCrissSettings(min_items_improved=2)
    assert revised_criss(BASELINE, follow_up, step1=NO_EVENT, settings=lenient).improved is True


def test_too_many_worsened_items_cancel_the_response() -> None:
    follow_up = CoreSet(
        mrss=20, fvc_percent_predicted=50, patient_global=3, physician_global=8, haq_di=1.0
    )
    result = revised_criss(BASELINE, follow_up, step1=NO_EVENT)
    assert result.worsened_count_min == 2
    assert result.improved is False
    uncapped = RevisedCrissSettings(max_items_worsened=None)
    assert revised_criss(BASELINE, follow_up, step1=NO_EVENT, settings=uncapped).improved is True


def test_a_step_1_event_applies_unless_switched_off() -> None:
    follow_up = CoreSet(
        mrss=20, fvc_percent_predicted=66, patient_global=3, physician_global=3, haq_di=1.0
    )
    crisis = Step1Events(new_scleroderma_renal_crisis=True)
    assert revised_criss(BASELINE, follow_up, step1=crisis).improved is False
    off = RevisedCrissSettings(apply_step1=False)
    assert revised_criss(BASELINE, follow_up, step1=crisis, settings=off).improved is True
    assert revised_criss(BASELINE, follow_up).improved is None  # step 1 not assessed


def test_missing_items_leave_it_undetermined_only_when_they_matter() -> None:
    follow_up = CoreSet(
        mrss=20, fvc_percent_predicted=None, patient_global=3, physician_global=None, haq_di=None
    )
    result = revised_criss(BASELINE, follow_up, step1=NO_EVENT)
    assert (result.improved_count_min, result.improved_count_max) == (2, 5)
    assert result.improved is None
    sure = CoreSet(
        mrss=20, fvc_percent_predicted=None, patient_global=3, physician_global=3, haq_di=1.5
    )
    assert (
        revised_criss(
            BASELINE, sure, step1=NO_EVENT, settings=RevisedCrissSettings(max_items_worsened=None)
        ).improved
        is True
    )


def test_a_zero_baseline_cannot_improve() -> None:
    start = CoreSet(
        mrss=30, fvc_percent_predicted=60, patient_global=0, physician_global=6, haq_di=0
    )
    end = CoreSet(mrss=20, fvc_percent_predicted=60, patient_global=2, physician_global=3, haq_di=0)
    result = revised_criss(start, end, step1=NO_EVENT)
    by_item = {i.item: i for i in result.items}
    assert by_item["patient_global"].improved is False
    assert by_item["patient_global"].worsened is True
    assert by_item["haq_di"].worsened is False


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"improvement_percent": 0}, "improvement_percent"),
        ({"min_items_improved": 6}, "min_items_improved"),
        ({"max_items_worsened": -1}, "max_items_worsened"),
    ],
)
def test_it_rejects_impossible_settings(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(ClinicalInputError) as caught:
        RevisedCrissSettings(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_it_rejects_a_value_beyond_its_scale() -> None:
    with pytest.raises(ClinicalInputError) as caught:
        CoreSet(haq_di=3.5)
    assert caught.value.field == "haq_di"
