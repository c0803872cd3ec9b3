"""Kaplan–Meier overall and progression-free survival, checked against the product-limit
arithmetic done by hand."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from sclerocell.analysis.dataset import AnalysisDataset, EndCause
from sclerocell.analysis.messages import Message
from sclerocell.analysis.settings import AnalysisSettings
from sclerocell.analysis.survival import SubjectTime, kaplan_meier, subject_times, survival
from tests.core.analysis.factories import INFUSION, completed, dataset, died, subject

NAME = Message("Survie", "Survival")
Z = 1.959964


def six_patients() -> list[SubjectTime]:
    """Deaths at 3 and 7 months; censored at 5, 8, 10 and 12."""
    times = [(3.0, True), (5.0, False), (7.0, True), (8.0, False), (10.0, False), (12.0, False)]
    return [SubjectTime(f"P{i}", 1, t, e) for i, (t, e) in enumerate(times, start=1)]


def loglog_bounds(s: float, greenwood: float) -> tuple[float, float]:
    """S^exp(±z √V) with V = Greenwood sum / (ln S)²."""
    spread = Z * math.sqrt(greenwood / math.log(s) ** 2)
    return s ** math.exp(spread), s ** math.exp(-spread)


def test_the_survival_table_is_the_product_limit_computed_by_hand() -> None:
    km = kaplan_meier(six_patients(), endpoint="os", name=NAME, horizon=12.0)
    rows = [(r.time, r.at_risk, r.events, r.censored) for r in km.table]
    assert rows == [
        (3.0, 6, 1, 0),
        (5.0, 5, 0, 1),
        (7.0, 4, 1, 0),
        (8.0, 3, 0, 1),
        (10.0, 2, 0, 1),
        (12.0, 1, 0, 1),
    ]
    # S(3) = 5/6; S(7) = 5/6 × (1 − 1/4) = 5/8; flat afterwards (censorings only).
    expected = [5 / 6, 5 / 6, 5 / 8, 5 / 8, 5 / 8, 5 / 8]
    assert [r.survival for r in km.table] == pytest.approx(expected)
    # Greenwood: Σ d/(n(n − d)) = 1/(6·5) at 3 months, + 1/(4·3) at 7 months.
    low, high = loglog_bounds(5 / 6, 1 / 30)
    assert (km.table[0].ci_low, km.table[0].ci_high) == pytest.approx((low, high), abs=1e-6)
    low, high = loglog_bounds(5 / 8, 1 / 30 + 1 / 12)
    assert (km.table[2].ci_low, km.table[2].ci_high) == pytest.approx((low, high), abs=1e-6)
    assert (km.n, km.events, km.censored) == (6, 2, 4)
    assert km.median is None  # never falls to 0.5


def test_the_estimate_at_the_horizon_needs_someone_followed_that_long() -> None:
    at_12 = kaplan_meier(six_patients(), endpoint="os", name=NAME, horizon=12.0).at_horizon
    assert at_12.survival == pytest.approx(5 / 8)
    assert at_12.at_risk == 1
    at_24 = kaplan_meier(six_patients(), endpoint="os", name=NAME, horizon=24.0).at_horizon
    assert at_24.survival is None and at_24.at_risk == 0


def test_the_median_when_the_curve_crosses_one_half() -> None:
    times = [SubjectTime(f"P{i}", 1, float(i), True) for i in range(1, 5)]
    km = kaplan_meier(times, endpoint="os", name=NAME, horizon=4.0)
    assert km.median == 2.0  # S = 3/4, 1/2, 1/4, 0


def test_an_empty_population_gives_an_empty_curve() -> None:
    km = kaplan_meier([], endpoint="os", name=NAME, horizon=24.0)
    assert km.n == 0 and km.table == () and km.at_horizon.survival is None


def months(days: int) -> float:
    return days / 30.4375


@pytest.fixture
def cohort() -> AnalysisDataset:
    late_infusion = INFUSION + timedelta(days=400)
    return dataset(
        [
            died(
                "P1",
                INFUSION + timedelta(days=200),
                progression_date=INFUSION + timedelta(days=100),
            ),
            completed("P2", progression_date=INFUSION + timedelta(days=300)),
            subject(
                "P3", end_date=INFUSION + timedelta(days=400), end_cause=EndCause.LOST_TO_FOLLOW_UP
            ),
            died("P4", INFUSION + timedelta(days=800)),  # after 24 months
            subject(
                "P5", inclusion_date=late_infusion - timedelta(days=20), infusion_date=late_infusion
            ),
            subject("P6", infused=False),
        ],
        cutoff_date=INFUSION + timedelta(days=900),
    )


def test_os_events_are_deaths_censored_at_the_end_of_follow_up(cohort: AnalysisDataset) -> None:
    times = {
        t.subject_code: (t.time, t.event)
        for t in subject_times(cohort, AnalysisSettings(), progression=False)
    }
    assert times == {
        "P1": (pytest.approx(months(200)), True),
        "P2": (24.0, False),  # completed: censored at the horizon
        "P3": (pytest.approx(months(400)), False),  # lost to follow-up
        "P4": (24.0, False),  # died after 24 months: administratively censored
        "P5": (pytest.approx(months(500)), False),  # still followed at the cut-off
    }


def test_pfs_events_are_progression_or_death_whichever_first(cohort: AnalysisDataset) -> None:
    times = {
        t.subject_code: (t.time, t.event)
        for t in subject_times(cohort, AnalysisSettings(), progression=True)
    }
    assert times["P1"][0] == pytest.approx(months(100)) and times["P1"][1]
    assert times["P2"][0] == pytest.approx(months(300)) and times["P2"][1]
    assert times["P4"] == (24.0, False)


def test_survival_from_the_inclusion_takes_every_included_recipient(
    cohort: AnalysisDataset,
) -> None:
    result = survival(cohort, AnalysisSettings(survival_origin="inclusion"))
    assert result.overall.n == 6
    assert survival(cohort, AnalysisSettings()).overall.n == 5


def test_survival_at_two_years(cohort: AnalysisDataset) -> None:
    result = survival(cohort, AnalysisSettings())
    assert (result.overall.events, result.progression_free.events) == (1, 2)
    # OS: one death among 5 at risk (at 6.6 months) → 4/5, then censorings only.
    assert result.overall.at_horizon.survival == pytest.approx(4 / 5)
    assert result.overall.at_horizon.at_risk == 2  # P2 and P4, censored at 24.0
    # PFS: 4/5 at 3.3 months, then P2 at 9.9 months among 4 at risk → 4/5 × 3/4 = 3/5.
    assert result.progression_free.at_horizon.survival == pytest.approx(3 / 5)
    assert result.horizon_months == 24 and result.origin == "infusion"
