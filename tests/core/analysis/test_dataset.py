"""The analysis dataset is validated at the door: missing is None, never NaN."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from sclerocell.analysis.dataset import (
    AdverseEvent,
    EndCause,
    ScreeningFunnel,
    VisitMeasurement,
)
from sclerocell.analysis.messages import AnalysisInputError
from sclerocell.product.feasibility import RecipientCourse
from tests.core.analysis.factories import INFUSION, ae, dataset, died, subject, visit


@pytest.mark.parametrize("bad", [math.nan, float("nan"), np.float64("nan")])
def test_it_refuses_nan_as_a_missing_value(bad: float) -> None:
    with pytest.raises(AnalysisInputError) as error:
        visit("S1", "BL", -1, fvc_percent_predicted=bad)
    assert error.value.field == "fvc_percent_predicted"
    assert "None" in error.value.message.en
    assert "None" in error.value.message.fr


def test_it_refuses_an_infinite_value() -> None:
    with pytest.raises(AnalysisInputError, match="finite"):
        visit("S1", "BL", -1, haq_di=math.inf)


def test_none_is_missing() -> None:
    record = visit("S1", "BL", -1, mrss=None, haq_di=None)
    assert record.value("mrss") is None
    assert record.value("haq_di") is None


def test_it_accepts_numpy_numbers_and_stores_python_ones() -> None:
    record = visit("S1", "BL", -1, mrss=np.int64(20), fvc_percent_predicted=np.float64(71.5))
    assert record.mrss == 20 and type(record.mrss) is int
    assert record.fvc_percent_predicted == 71.5


@pytest.mark.parametrize(
    ("field", "value"),
    [("mrss", 52), ("mrss", 20.5), ("haq_di", 3.5), ("patient_global", -1), ("mrss", True)],
)
def test_it_refuses_values_out_of_range(field: str, value: object) -> None:
    with pytest.raises(AnalysisInputError) as error:
        visit("S1", "BL", -1, **{field: value})
    assert error.value.field == field


def test_it_refuses_a_datetime_for_a_date() -> None:
    with pytest.raises(AnalysisInputError) as error:
        subject("S1", infusion_date=datetime(2020, 1, 15, tzinfo=UTC))
    assert error.value.field == "infusion_date"


def test_it_refuses_an_unknown_visit_code() -> None:
    with pytest.raises(AnalysisInputError) as error:
        VisitMeasurement("S1", "M4", INFUSION)
    assert error.value.field == "visit"


def test_it_refuses_a_grade_outside_one_to_five() -> None:
    with pytest.raises(AnalysisInputError) as error:
        ae("S1", 3, 6)
    assert error.value.field == "grade"


def test_an_ae_cannot_end_before_it_starts() -> None:
    with pytest.raises(AnalysisInputError) as error:
        ae("S1", 3, 1, end_date=INFUSION)
    assert error.value.field == "end_date"


def test_an_infusion_before_the_inclusion_is_refused() -> None:
    with pytest.raises(AnalysisInputError) as error:
        subject("S1", inclusion_date=INFUSION + timedelta(days=1))
    assert error.value.field == "infusion_date"


def test_a_death_date_goes_with_the_death_end_cause() -> None:
    with pytest.raises(AnalysisInputError) as error:
        subject(
            "S1",
            end_date=date(2021, 1, 1),
            end_cause=EndCause.WITHDRAWAL,
            death_date=date(2021, 1, 1),
        )
    assert error.value.field == "death_date"
    with pytest.raises(AnalysisInputError):
        subject("S1", end_date=date(2021, 1, 1), end_cause=EndCause.DEATH)


def test_end_date_and_cause_go_together() -> None:
    with pytest.raises(AnalysisInputError) as error:
        subject("S1", end_date=date(2021, 1, 1))
    assert error.value.field == "end_cause"


def test_an_infused_subject_needs_a_dose_level() -> None:
    with pytest.raises(AnalysisInputError) as error:
        subject("S1", dose_level=None)
    assert error.value.field == "dose_level"


def test_subject_codes_are_unique() -> None:
    with pytest.raises(AnalysisInputError, match="duplicate"):
        dataset([subject("S1"), subject("S1")])


def test_records_of_unknown_subjects_are_refused() -> None:
    with pytest.raises(AnalysisInputError) as error:
        dataset([subject("S1")], adverse_events=(ae("S2", 1, 1),))
    assert error.value.field == "subject_code"
    with pytest.raises(AnalysisInputError):
        dataset([subject("S1")], visits=(visit("S2", "BL", -1),))


def test_a_grade_5_event_needs_a_death() -> None:
    with pytest.raises(AnalysisInputError, match="grade 5"):
        dataset([subject("S1")], adverse_events=(ae("S1", 10, 5),))
    dead = died("S1", INFUSION + timedelta(days=10))
    assert dataset([dead], adverse_events=(ae("S1", 10, 5),)).adverse_events[0].grade == 5


def test_nothing_may_be_dated_after_the_cutoff() -> None:
    with pytest.raises(AnalysisInputError) as error:
        dataset([subject("S1")], cutoff_date=INFUSION - timedelta(days=1))
    assert error.value.field == "infusion_date"
    with pytest.raises(AnalysisInputError) as error:
        dataset(
            [subject("S1")],
            visits=(visit("S1", "M3", 90),),
            cutoff_date=INFUSION + timedelta(days=30),
        )
    assert error.value.field == "visit_date"


def test_one_record_per_subject_and_visit() -> None:
    with pytest.raises(AnalysisInputError, match="duplicate"):
        dataset([subject("S1")], visits=(visit("S1", "M3", 90), visit("S1", "M3", 92)))


def test_a_follow_up_visit_needs_an_infusion_and_comes_after_it() -> None:
    with pytest.raises(AnalysisInputError, match="without infusion"):
        dataset([subject("S1", infused=False)], visits=(visit("S1", "M3", 90),))
    with pytest.raises(AnalysisInputError, match="before the infusion"):
        dataset([subject("S1")], visits=(visit("S1", "M3", -2),))
    with pytest.raises(AnalysisInputError, match="baseline after"):
        dataset([subject("S1")], visits=(visit("S1", "BL", 2),))


def test_courses_must_match_the_subjects() -> None:
    with pytest.raises(AnalysisInputError, match="infusion date"):
        dataset([subject("S1")], courses=(RecipientCourse("S1", True),))
    with pytest.raises(AnalysisInputError, match="no product course"):
        dataset(
            [subject("S1"), subject("S2")], courses=(RecipientCourse("S1", True, infused=True),)
        )
    screened_only = RecipientCourse("S9", False)
    ok = dataset(
        [subject("S1")], courses=(RecipientCourse("S1", True, infused=True), screened_only)
    )
    assert len(ok.courses) == 2


def test_the_funnel_must_be_coherent() -> None:
    with pytest.raises(AnalysisInputError) as error:
        ScreeningFunnel(screened=5, eligible=6)
    assert error.value.field == "eligible"
    with pytest.raises(AnalysisInputError, match="more reasons"):
        ScreeningFunnel(screened=10, eligible=6, not_eligible_reasons={"R-E4": 5})
    with pytest.raises(AnalysisInputError, match="included"):
        dataset([subject("S1"), subject("S2")], funnel=ScreeningFunnel(screened=3, eligible=1))


def test_every_message_is_bilingual() -> None:
    with pytest.raises(AnalysisInputError) as error:
        AdverseEvent("S1", "Fever", "SOC", 0, INFUSION)
    assert error.value.message.fr != error.value.message.en
    assert error.value.message.fr and error.value.message.en


def test_funnel_counts_are_stored_as_python_integers() -> None:
    funnel = ScreeningFunnel(np.int64(5), np.int64(3), not_eligible_reasons={"R-E4": np.int64(2)})
    assert (type(funnel.screened), type(funnel.eligible)) == (int, int)
    assert dict(funnel.not_eligible_reasons) == {"R-E4": 2}
