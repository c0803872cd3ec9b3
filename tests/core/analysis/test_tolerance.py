"""Primary endpoint (grade ≥ 3 over 24 months), immediate and late tolerance, AE tables."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import pytest

from sclerocell.analysis.dataset import AdverseEvent, AnalysisDataset, EndCause, Relatedness
from sclerocell.analysis.safety import late_tolerance, tolerance
from sclerocell.analysis.settings import DEFAULT_SETTINGS, AnalysisSettings
from sclerocell.followup.tolerance import NEOPLASMS_SOC, OnsetPeriod, ToleranceSettings
from tests.core.analysis.factories import INFUSION, ae, completed, dataset, died, subject

INFECTIONS = "Infections and infestations"
GI = "Gastrointestinal disorders"
GENERAL = "General disorders and administration site conditions"


def lung(code: str, day: int, grade: int, **kw: Any) -> AdverseEvent:
    return ae(code, day, grade, term="Lung infection", soc=INFECTIONS, **kw)


def diarrhoea(code: str, day: int, grade: int, **kw: Any) -> AdverseEvent:
    return ae(code, day, grade, term="Diarrhea", soc=GI, **kw)


@pytest.fixture
def small() -> AnalysisDataset:
    """Five infused (A1–A3 at level 1, B1–B2 at level 2) and one never infused (B3)."""
    withdrawn = subject(
        "B3", 2, infused=False, end_date=date(2020, 1, 1), end_cause=EndCause.WITHDRAWAL
    )
    return dataset(
        [
            completed("A1"),
            completed("A2"),
            completed("A3"),
            completed("B1", 2),
            completed("B2", 2),
            withdrawn,
        ],
        adverse_events=(
            ae("A1", 0, 1, msc=Relatedness.POSSIBLE),  # fever on D0
            lung("A1", 5, 3, serious=True),  # immediate, grade 3
            ae("A1", -5, 2, term="Headache", soc="Nervous system disorders"),  # before infusion
            lung("A2", 40, 2),
            lung("A2", 200, 3, serious=True),  # late, grade 3
            ae("A3", 800, 3),  # after 24 months: not counted
            ae("B1", 1, 2, msc=Relatedness.PROBABLE),
            diarrhoea("B1", 30, 1),
            diarrhoea("B2", 400, 3, msc=Relatedness.POSSIBLE),  # late, grade 3, related
            ae("B3", -20, 1, term="Headache", soc="Nervous system disorders"),  # never infused
        ),
    )


def test_the_primary_endpoint_counts_patients_with_a_grade_3_or_more_event_over_24_months(
    small: AnalysisDataset,
) -> None:
    result = tolerance(small, DEFAULT_SETTINGS)
    primary = result.primary
    assert (primary.overall.count, primary.overall.total) == (3, 5)
    assert {lv: (p.count, p.total) for lv, p in primary.by_level.items()} == {1: (2, 3), 2: (1, 2)}
    assert primary.subjects == ("A1", "A2", "B2")
    assert primary.overall.estimate == pytest.approx(0.6)


def test_the_related_primary_counts_only_events_related_to_the_msc(small: AnalysisDataset) -> None:
    related = tolerance(small, DEFAULT_SETTINGS).primary_related
    assert (related.overall.count, related.subjects) == (1, ("B2",))


def test_immediate_tolerance_is_d0_to_d10(small: AnalysisDataset) -> None:
    immediate = tolerance(small, DEFAULT_SETTINGS).immediate
    assert (immediate.overall.count, immediate.overall.total) == (1, 5)
    assert {lv: p.count for lv, p in immediate.by_level.items()} == {1: 1, 2: 0}


def test_events_outside_d0_to_m24_are_left_out_and_counted(small: AnalysisDataset) -> None:
    result = tolerance(small, DEFAULT_SETTINGS)
    assert result.events_before_infusion == 1
    assert result.events_after_horizon == 1
    assert result.tables.any_event.events.overall == 7
    assert result.full_follow_up == 5
    assert [(e.subject_code, e.day, e.period) for e in result.severe_events] == [
        ("A1", 5, OnsetPeriod.IMMEDIATE),
        ("A2", 200, OnsetPeriod.LATE),
        ("B2", 400, OnsetPeriod.LATE),
    ]


def test_the_ae_table_by_soc_and_term(small: AnalysisDataset) -> None:
    tables = tolerance(small, DEFAULT_SETTINGS).tables
    assert tables.population.overall == 5
    assert dict(tables.population.by_level) == {1: 3, 2: 2}
    rows = [(r.soc, r.term, r.patients.overall, r.events.overall) for r in tables.rows]
    # Most patients first, then most events, then alphabetical.
    assert rows == [
        (INFECTIONS, None, 2, 3),
        (INFECTIONS, "Lung infection", 2, 3),
        (GI, None, 2, 2),
        (GI, "Diarrhea", 2, 2),
        (GENERAL, None, 2, 2),
        (GENERAL, "Fever", 2, 2),
    ]
    infections = tables.rows[0]
    assert dict(infections.patients.by_level) == {1: 2, 2: 0}
    assert dict(infections.events.by_level) == {1: 3, 2: 0}
    assert dict(infections.patients_by_worst_grade) == {1: 0, 2: 0, 3: 2, 4: 0, 5: 0}
    fever = tables.rows[5]
    assert dict(fever.patients_by_worst_grade) == {1: 1, 2: 1, 3: 0, 4: 0, 5: 0}


def test_worst_grade_per_patient(small: AnalysisDataset) -> None:
    worst = tolerance(small, DEFAULT_SETTINGS).tables.worst_grade
    assert {g: c.overall for g, c in worst.items()} == {0: 1, 1: 0, 2: 1, 3: 3, 4: 0, 5: 0}
    assert dict(worst[3].by_level) == {1: 2, 2: 1}
    assert dict(worst[0].by_level) == {1: 1, 2: 0}


def test_relation_serious_and_severe_counts(small: AnalysisDataset) -> None:
    tables = tolerance(small, DEFAULT_SETTINGS).tables
    msc = tables.relation_msc
    assert (
        msc[Relatedness.POSSIBLE].patients.overall,
        msc[Relatedness.POSSIBLE].events.overall,
    ) == (2, 2)
    assert (
        msc[Relatedness.PROBABLE].patients.overall,
        msc[Relatedness.PROBABLE].events.overall,
    ) == (1, 1)
    assert (
        msc[Relatedness.NOT_RELATED].patients.overall,
        msc[Relatedness.NOT_RELATED].events.overall,
    ) == (3, 4)
    assert msc[Relatedness.CERTAIN].events.overall == 0
    assert (tables.related_msc.patients.overall, tables.related_msc.events.overall) == (3, 3)
    assert tables.relation_procedure[Relatedness.NOT_RELATED].events.overall == 7
    assert tables.related_procedure.events.overall == 0
    assert (tables.serious.patients.overall, tables.serious.events.overall) == (2, 2)
    assert (tables.grade_3_or_more.patients.overall, tables.grade_3_or_more.events.overall) == (
        3,
        3,
    )


def test_late_tolerance_is_beyond_three_months(small: AnalysisDataset) -> None:
    late = late_tolerance(small, DEFAULT_SETTINGS)
    assert late.at_risk.overall == 5
    assert (late.any_late.overall.count, late.any_late.subjects) == (2, ("A2", "B2"))
    assert late.severe_late.overall.count == 2
    assert late.tables.any_event.events.overall == 2
    assert late.malignancies == ()
    assert late.malignancy_after_infusion.overall.count == 0


def test_the_late_denominator_is_the_recipients_followed_beyond_three_months() -> None:
    early_death = died("S2", INFUSION + timedelta(days=60))
    late = late_tolerance(dataset([completed("S1"), early_death]), DEFAULT_SETTINGS)
    assert late.at_risk.overall == 1
    assert late.any_late.overall.total == 1


def test_malignancies_are_listed_and_counted_whatever_their_date() -> None:
    data = dataset(
        [completed("S1"), completed("S2"), completed("S3")],
        adverse_events=(
            ae("S1", 500, 2, term="Skin papilloma", soc=NEOPLASMS_SOC),
            ae("S2", 30, 2, term="Basal cell carcinoma", soc="Skin", malignancy=True),
            ae("S3", -10, 1, term="Cyst", soc=NEOPLASMS_SOC),  # before the infusion
        ),
    )
    late = late_tolerance(data, DEFAULT_SETTINGS)
    assert [(m.subject_code, m.period) for m in late.malignancies] == [
        ("S1", OnsetPeriod.LATE),
        ("S2", OnsetPeriod.EARLY),
        ("S3", OnsetPeriod.BEFORE_INFUSION),
    ]
    assert late.malignancy_after_infusion.subjects == ("S1", "S2")
    assert (
        late.malignancy_after_infusion.overall.count,
        late.malignancy_after_infusion.overall.total,
    ) == (2, 3)


def _binomial_tail(k: int, n: int, p: float, *, upper: bool) -> float:
    terms = range(k, n + 1) if upper else range(k + 1)
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in terms)


@pytest.mark.parametrize(("severe", "low", "high"), [(0, 0.0, 0.1684), (3, 0.0321, 0.3789)])
def test_exact_intervals_for_twenty_patients(severe: int, low: float, high: float) -> None:
    subjects = [completed(f"S{i:02d}", 1 if i <= 10 else 2) for i in range(1, 21)]
    events = tuple(lung(f"S{i:02d}", 100, 3) for i in range(1, severe + 1))
    primary = tolerance(dataset(subjects, adverse_events=events), DEFAULT_SETTINGS).primary.overall
    assert (primary.count, primary.total) == (severe, 20)
    assert (primary.ci_low, primary.ci_high) == pytest.approx((low, high), abs=5e-5)
    # The defining property of the Clopper–Pearson bounds, by the binomial sums:
    # P(X ≥ k | p_low) = α/2 and P(X ≤ k | p_high) = α/2.
    assert primary.ci_high is not None and primary.ci_low is not None
    assert _binomial_tail(severe, 20, primary.ci_high, upper=False) == pytest.approx(
        0.025, abs=1e-9
    )
    if severe:
        assert _binomial_tail(severe, 20, primary.ci_low, upper=True) == pytest.approx(
            0.025, abs=1e-9
        )
    else:
        assert primary.ci_high == pytest.approx(1 - 0.025 ** (1 / 20), rel=1e-12)


def test_the_severity_threshold_is_a_setting(small: AnalysisDataset) -> None:
    settings = AnalysisSettings(tolerance=ToleranceSettings(severe_grade=2))
    assert tolerance(small, settings).primary.overall.count == 4  # + B1 (grade 2 fever)
