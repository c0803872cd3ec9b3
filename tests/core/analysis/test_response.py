"""Change from baseline: paired t-test and Wilcoxon, the mixed model, ACR-CRISS by visit."""

from __future__ import annotations

import math

import pytest

from sclerocell.analysis.dataset import AnalysisDataset
from sclerocell.analysis.response import criss_by_visit, mixed_model, paired_change, response
from sclerocell.analysis.settings import DEFAULT_SETTINGS
from sclerocell.clinical.criss import Step1Events
from tests.core.analysis.factories import completed, dataset, subject, visit

BASELINE = [30.0, 25.0, 20.0, 28.0, 22.0]
MONTH_3 = [27.0, 20.0, 19.0, 24.0, 20.0]  # changes −3, −5, −1, −4, −2


def test_the_paired_t_test_matches_the_hand_computation() -> None:
    result = paired_change(list(zip(BASELINE, MONTH_3, strict=True)))
    # d = −3, −5, −1, −4, −2: mean −3, SD √(10/4) = √2.5, SE √2.5/√5 = √0.5.
    assert result.n == 5
    assert result.mean_change == pytest.approx(-3.0)
    assert result.sd_change == pytest.approx(math.sqrt(2.5))
    t = -3 / math.sqrt(0.5)
    assert result.t_statistic == pytest.approx(t)  # −4.2426
    # Student's t with 4 df has a closed form: F(t) = 1/2 + (3/4) x (1 − x²/3), x = t/√(4 + t²).
    x = t / math.sqrt(4 + t * t)
    assert result.t_p_value == pytest.approx(2 * (0.5 + 0.75 * x * (1 - x * x / 3)))  # 0.01324
    # 95 % CI: −3 ± t(0.975; 4) × √0.5, with t(0.975; 4) = 2.776445 (tables).
    assert result.ci_low == pytest.approx(-3 - 2.776445 * math.sqrt(0.5), abs=1e-5)
    assert result.ci_high == pytest.approx(-3 + 2.776445 * math.sqrt(0.5), abs=1e-5)
    assert result.baseline_mean == pytest.approx(25.0)
    assert result.follow_up_mean == pytest.approx(22.0)
    assert (result.median_change, result.q1_change, result.q3_change) == (-3.0, -4.0, -2.0)


def test_the_wilcoxon_test_is_exact_without_ties() -> None:
    result = paired_change(list(zip(BASELINE, MONTH_3, strict=True)))
    # All five changes negative with distinct ranks: W+ = 0, and of the 2⁵ = 32 equally likely
    # sign patterns only "all negative" and "all positive" are as extreme: p = 2/32.
    assert result.wilcoxon_statistic == 0.0
    assert result.wilcoxon_p_value == pytest.approx(2 / 32)
    assert result.wilcoxon_method == "exact"
    assert result.wilcoxon_n_nonzero == 5


def test_ties_switch_wilcoxon_to_the_normal_approximation_and_zeros_are_dropped() -> None:
    result = paired_change(
        [(10.0, 8.0), (10.0, 8.0), (10.0, 10.0), (10.0, 7.0), (72.3, 70.1), (5, 7.2)]
    )
    assert result.wilcoxon_n_nonzero == 5
    assert result.wilcoxon_method == "normal approximation"
    assert result.note is not None and "1 zero change" in result.note.en


def test_missing_values_are_counted_by_reason() -> None:
    pairs = [(30.0, 27.0), (None, 20.0), (20.0, None), (None, None), (28.0, 24.0), (22.0, 20.0)]
    result = paired_change(pairs)
    assert (result.population, result.n, result.missing) == (6, 3, 3)
    assert (result.missing_baseline, result.missing_follow_up) == (2, 1)


def test_too_few_pairs_give_no_test() -> None:
    result = paired_change([(30.0, 27.0), (None, 20.0)])
    assert result.n == 1
    assert result.t_p_value is None and result.wilcoxon_p_value is None
    assert result.mean_change == -3.0
    assert result.note is not None


def test_identical_changes_give_no_t_test() -> None:
    result = paired_change([(30.0, 27.0), (20.0, 17.0), (25.0, 22.0)])
    assert result.t_statistic is None
    assert result.ci_low == result.ci_high == -3.0
    assert result.note is not None and "no t-test" in result.note.en


def _observations(base: list[float], follow: list[float]) -> list[tuple[str, str, float]]:
    subjects = "ABCD"
    return [(s, "BL", b) for s, b in zip(subjects, base, strict=True)] + [
        (s, "M3", f) for s, f in zip(subjects, follow, strict=True)
    ]


def test_the_mixed_model_on_a_balanced_design_gives_the_mean_change() -> None:
    result = mixed_model(_observations([10, 12, 14, 16], [8, 11, 11, 14]), visits=("BL", "M3"))
    assert result.fitted and result.converged and result.warnings == ()
    assert (result.n_subjects, result.n_observations) == (4, 8)
    intercept, month_3 = result.estimates
    assert intercept.term == "intercept" and intercept.estimate == pytest.approx(13.0)
    assert month_3.term == "M3" and month_3.estimate == pytest.approx(-2.0)
    # Balanced, two visits: residual variance = var(d) / 2 = (2/3) / 2, and the change's Wald
    # interval is −2 ± z × √(2 σ² / 4).
    assert result.residual_variance == pytest.approx(1 / 3, rel=1e-3)
    half = 1.959964 * math.sqrt(2 * (1 / 3) / 4)
    assert (month_3.ci_low, month_3.ci_high) == pytest.approx((-2 - half, -2 + half), rel=1e-3)


def test_a_mixed_model_that_does_not_converge_says_so_instead_of_failing() -> None:
    # No subject effect at all: the random-intercept variance sits on the boundary.
    result = mixed_model(_observations([10, 10, 10, 10], [12, 12, 12, 12]), visits=("BL", "M3"))
    assert result.fitted
    assert not result.converged or result.warnings
    assert result.warnings
    assert "not" in result.message.en or "caution" in result.message.en
    assert result.message.fr


def test_a_mixed_model_without_follow_up_values_is_not_fitted() -> None:
    result = mixed_model([("A", "BL", 10.0), ("B", "BL", 12.0)], visits=("BL", "M3"))
    assert not result.fitted
    assert result.estimates == ()
    assert "no baseline or no follow-up" in result.message.en


def _criss_data() -> AnalysisDataset:
    none = Step1Events(False, False, False, False)
    base = {
        "mrss": 30,
        "fvc_percent_predicted": 70.0,
        "patient_global": 6.0,
        "physician_global": 6.0,
        "haq_di": 1.5,
    }
    better = {
        "mrss": 20,
        "fvc_percent_predicted": 75.0,
        "patient_global": 4.0,
        "physician_global": 4.0,
        "haq_di": 1.0,
    }
    same = dict(base)
    return dataset(
        [
            completed("S1"),
            completed("S2"),
            completed("S3"),
            completed("S4"),
            completed("S5"),
            subject("S6", infused=False),
        ],
        visits=(
            *(visit(c, "BL", -2, **base) for c in ("S1", "S2", "S3", "S4", "S5")),
            visit("S1", "M3", 91, step1=none, **better),  # improved
            visit("S2", "M3", 91, step1=none, **same),  # not improved
            visit("S3", "M3", 91, step1=Step1Events(True, False, False, False), **better),  # step 1
            visit("S4", "M3", 91, step1=Step1Events(), **better),  # step 1 unknown: undetermined
            visit("S1", "M12", 365, step1=none, **better),
            visit("S2", "M12", 365, step1=none, **{**better, "haq_di": None}),  # missing item
        ),
    )


def test_criss_proportion_improved_among_the_decided_with_an_exact_interval() -> None:
    result = criss_by_visit(_criss_data(), DEFAULT_SETTINGS, "M3")
    assert result.population == 5
    assert (result.improved.count, result.improved.total) == (1, 3)
    assert result.evaluable == 3 and result.undetermined == 2
    assert result.step1_events == 1
    assert result.by_subject["S3"].improved is False
    assert result.by_subject["S4"].improved is None
    assert result.improved.ci_low is not None and result.improved.ci_high is not None


def test_criss_before_twelve_months_is_exploratory() -> None:
    data = _criss_data()
    assert criss_by_visit(data, DEFAULT_SETTINGS, "M3").exploratory
    at_12 = criss_by_visit(data, DEFAULT_SETTINGS, "M12")
    assert not at_12.exploratory
    assert (at_12.improved.count, at_12.improved.total) == (1, 1)
    assert "Exploratory" in criss_by_visit(data, DEFAULT_SETTINGS, "M6").note.en


def test_response_covers_every_variable_and_visit_of_the_plan() -> None:
    result = response(_criss_data(), DEFAULT_SETTINGS)
    keys = {(p.variable, p.visit) for p in result.paired}
    assert len(keys) == 16
    mrss_m3 = next(p for p in result.paired if (p.variable, p.visit) == ("mrss", "M3"))
    assert (mrss_m3.population, mrss_m3.n) == (5, 4)
    assert [m.variable for m in result.models] == list(DEFAULT_SETTINGS.response_variables)
    assert [c.visit for c in result.criss] == ["M3", "M6", "M9", "M12"]
