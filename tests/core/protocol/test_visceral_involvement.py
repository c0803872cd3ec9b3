"""Major visceral involvement R-V1 (R-V1a, R-V1b), R-V2, R-V3 at their boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from sclerocell.criteria.result import Result
from sclerocell.criteria.status import Status
from sclerocell.facts.schema import Fact
from sclerocell.protocol.settings import ProtocolSettings

from .build import D, days, fact, recipient, replace, status

M, N, U = Status.MET, Status.NOT_MET, Status.UNKNOWN
BASELINE = dt.date(2023, 5, 15)


@pytest.mark.parametrize(("dlco", "expected"), [(59.9, M), (60, N)])
def test_it_reads_the_dlco_of_r_v1a(dlco: float, expected: Status) -> None:
    facts = replace(recipient(), fact("dlco_pct_pred", days(10), dlco))
    assert status("recipient", facts, "R-V1a.dlco") is expected


@pytest.mark.parametrize(("fvc", "expected"), [(70, M), (70.1, N)])
def test_it_reads_the_fvc_of_r_v1a_as_at_most_seventy(fvc: float, expected: Status) -> None:
    facts = replace(recipient(), fact("fvc_pct_pred", days(10), fvc))
    assert status("recipient", facts, "R-V1a.fvc") is expected


def test_it_reads_the_fvc_of_r_v1a_strictly_as_a_setting() -> None:
    facts = replace(recipient(), fact("fvc_pct_pred", days(10), 70))
    assert status("recipient", facts, "R-V1a.fvc", ProtocolSettings(r_v1a_fvc_comparison="lt")) is N


def test_it_is_unknown_on_r_v1a_without_recent_pft() -> None:
    facts = replace(
        recipient(), fact("fvc_pct_pred", days(100), 50), fact("dlco_pct_pred", days(100), 30)
    )
    assert status("recipient", facts, "R-V1a") is U


@pytest.mark.parametrize(("current", "expected"), [(72, M), (72.1, N)])
def test_it_reads_r_v1b_as_a_relative_fall_of_ten_percent(current: float, expected: Status) -> None:
    facts = replace(
        recipient(), fact("fvc_pct_pred", BASELINE, 80), fact("fvc_pct_pred", days(10), current)
    )
    assert status("recipient", facts, "R-V1b.fvc") is expected


@pytest.mark.parametrize(("current", "expected"), [(70, M), (72, N)])
def test_it_reads_r_v1b_in_absolute_points_as_a_setting(current: float, expected: Status) -> None:
    facts = replace(
        recipient(), fact("fvc_pct_pred", BASELINE, 80), fact("fvc_pct_pred", days(10), current)
    )
    absolute = ProtocolSettings(r_v1b_change="absolute")
    assert status("recipient", facts, "R-V1b.fvc", absolute) is expected


@pytest.mark.parametrize(("current", "expected"), [(42.5, M), (42.6, N)])
def test_it_reads_the_dlco_fall_of_r_v1b_at_fifteen_percent(
    current: float, expected: Status
) -> None:
    facts = replace(
        recipient(), fact("dlco_pct_pred", BASELINE, 50), fact("dlco_pct_pred", days(10), current)
    )
    assert status("recipient", facts, "R-V1b.dlco") is expected


def test_it_is_unknown_on_r_v1b_without_a_baseline_12_6_months_before() -> None:
    facts = replace(
        recipient(), fact("tlc_pct_pred", days(60), 90), fact("tlc_pct_pred", days(10), 60)
    )
    result = screen_result(facts, "R-V1b.tlc")
    assert result.status is U
    assert result.evidence.missing is not None
    assert "between 18 and 6 months" in result.evidence.missing.en


def screen_result(facts: list[Fact], criterion: str) -> Result:
    from sclerocell.protocol.screen import screen

    return screen("recipient", facts, D).result.find(criterion)


def test_it_requires_interstitial_lung_disease_for_r_v1() -> None:
    assert (
        status("recipient", replace(recipient(), fact("ild_on_imaging", days(5), 0)), "R-V1") is N
    )
    assert status("recipient", replace(recipient(), drop=("ild_on_imaging",)), "R-V1") is U


@pytest.mark.parametrize(
    "code",
    [
        "reversible_congestive_heart_failure",
        "recurrent_rhythm_disorder",
        "av_block_2nd_3rd_degree",
        "pericardial_effusion_treated",
    ],
)
def test_it_meets_r_v2_on_any_cardiac_item(code: str) -> None:
    assert status("recipient", replace(recipient(), fact(code, days(30), 1)), "R-V2") is M


def test_it_does_not_meet_r_v2_when_every_item_is_recorded_absent() -> None:
    facts = recipient()
    for code in (
        "reversible_congestive_heart_failure",
        "recurrent_rhythm_disorder",
        "av_block_2nd_3rd_degree",
        "pericardial_effusion_treated",
    ):
        facts = replace(facts, fact(code, days(30), 0))
    assert status("recipient", facts, "R-V2") is N


def bp(day: int, time: str | None, sbp: float, dbp: float = 80) -> list[Fact]:
    return [fact("sbp", days(day), sbp, time=time), fact("dbp", days(day), dbp, time=time)]


def test_it_meets_r_v3_hypertension_on_two_readings_twelve_hours_apart() -> None:
    facts = replace(recipient(), *bp(3, "08:00", 160), *bp(3, "20:00", 150, 111))
    assert status("recipient", facts, "R-V3.hypertension") is M


def test_it_does_not_meet_r_v3_hypertension_on_readings_eleven_hours_apart() -> None:
    facts = replace(recipient(), *bp(3, "08:00", 170), *bp(3, "19:00", 170))
    assert status("recipient", facts, "R-V3.hypertension") is U


def test_it_is_unknown_on_r_v3_hypertension_when_same_day_times_are_missing() -> None:
    facts = replace(recipient(), *bp(3, None, 170), *bp(3, "20:00", 170))
    result = screen_result(facts, "R-V3.hypertension")
    assert result.status is U
    assert result.evidence.missing is not None
    assert "times" in result.evidence.missing.en


def test_it_reads_the_systolic_threshold_strictly_as_a_setting() -> None:
    facts = replace(recipient(), *bp(3, "08:00", 160), *bp(2, "08:00", 160))
    assert status("recipient", facts, "R-V3.hypertension") is M
    strict = ProtocolSettings(r_v3_sbp_comparison="gt")
    assert status("recipient", facts, "R-V3.hypertension", strict) is N


def test_it_reads_recent_renal_insufficiency_as_creatinine_above_the_uln() -> None:
    high_then_normal = replace(
        recipient(),
        fact("creatinine", days(150), 95, ref_high=90),
        fact("creatinine", days(5), 80, ref_high=90),
    )
    assert status("recipient", high_then_normal, "R-V3.recent_renal_insufficiency") is M
    latest = ProtocolSettings(r_v3_recent_renal_insufficiency="latest_creatinine_above_uln")
    assert status("recipient", high_then_normal, "R-V3.recent_renal_insufficiency", latest) is N
    older = replace(recipient(), fact("creatinine", days(200), 95, ref_high=90))
    assert status("recipient", older, "R-V3.recent_renal_insufficiency") is U  # none in 6 months


def test_it_meets_r_v3_on_a_urinary_sediment_abnormality() -> None:
    facts = replace(recipient(), fact("urinary_sediment_abnormality", days(20), 1))
    assert status("recipient", facts, "R-V3") is M
