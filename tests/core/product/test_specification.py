"""MSC batch release: one line per test, inclusive limits, release under deviation."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from sclerocell.product.messages import ProductInputError
from sclerocell.product.specification import (
    BatchResults,
    EndotoxinBasis,
    Karyotype,
    Mycoplasma,
    Outcome,
    ReleaseSpecification,
    ReleaseTest,
    Sterility,
    can_release,
    evaluate_batch,
)

GOOD = BatchResults(
    batch="L2015-004",
    cd73_pct=99.1,
    cd90_pct=98.7,
    cd105_pct=97.0,
    cd45_pct=0.4,
    cd34_pct=0.3,
    cd14_cd11b_pct=0.5,
    cd19_cd79a_pct=0.2,
    hla_dr_pct=0.8,
    viability_pct=92.0,
    sterility=Sterility.NO_GROWTH,
    endotoxin_eu_per_ml=0.5,
    infused_volume_ml=100.0,
    recipient_weight_kg=70.0,
    mycoplasma=Mycoplasma.NEGATIVE,
    karyotype=Karyotype.NORMAL,
)


def _with(**changes: Any) -> BatchResults:
    """GOOD with some results changed (field names from parametrize)."""
    return replace(GOOD, **changes)


def test_a_batch_meeting_every_limit_is_conforming_and_released() -> None:
    assessment = evaluate_batch(GOOD)
    assert assessment.conforming
    assert {line.test for line in assessment.lines} == set(ReleaseTest) - {ReleaseTest.PASSAGE}
    decision = can_release(assessment, None)
    assert decision.releasable and not decision.deviation_required


@pytest.mark.parametrize("marker", ["cd73_pct", "cd90_pct", "cd105_pct"])
def test_a_positive_marker_at_exactly_95_percent_passes(marker: str) -> None:
    line = evaluate_batch(_with(**{marker: 95.0})).lines
    assert all(item.outcome is Outcome.PASS for item in line)


@pytest.mark.parametrize("marker", ["cd73_pct", "cd90_pct", "cd105_pct"])
def test_a_positive_marker_just_below_95_percent_fails(marker: str) -> None:
    assessment = evaluate_batch(_with(**{marker: 94.9}))
    assert not assessment.conforming
    (failed,) = assessment.failed
    assert failed.value == 94.9
    assert failed.limit == "≥ 95 %"
    assert "NON CONFORME" in failed.explanation.fr


@pytest.mark.parametrize(
    "marker", ["cd45_pct", "cd34_pct", "cd14_cd11b_pct", "cd19_cd79a_pct", "hla_dr_pct"]
)
def test_a_negative_marker_at_exactly_2_percent_passes_and_above_fails(marker: str) -> None:
    assert evaluate_batch(_with(**{marker: 2.0})).conforming
    assert not evaluate_batch(_with(**{marker: 2.01})).conforming


def test_viability_limit_is_inclusive_and_a_setting() -> None:
    assert evaluate_batch(replace(GOOD, viability_pct=70.0)).conforming
    assert not evaluate_batch(replace(GOOD, viability_pct=69.9)).conforming
    stricter = ReleaseSpecification(viability_min_pct=80.0)
    assert not evaluate_batch(replace(GOOD, viability_pct=75.0), stricter).conforming


@pytest.mark.parametrize(
    ("field", "value", "test"),
    [
        ("sterility", Sterility.GROWTH, ReleaseTest.STERILITY),
        ("mycoplasma", Mycoplasma.POSITIVE, ReleaseTest.MYCOPLASMA),
        ("karyotype", Karyotype.ABNORMAL, ReleaseTest.KARYOTYPE),
    ],
)
def test_it_fails_a_contaminated_or_abnormal_batch(
    field: str, value: object, test: ReleaseTest
) -> None:
    assessment = evaluate_batch(_with(**{field: value}))
    assert assessment.line(test).outcome is Outcome.FAIL


def test_endotoxin_per_kg_of_recipient_at_exactly_the_limit_passes() -> None:
    # 3.5 EU/mL × 100 mL / 70 kg = 5 EU/kg
    line = evaluate_batch(replace(GOOD, endotoxin_eu_per_ml=3.5)).line(ReleaseTest.ENDOTOXIN)
    assert line.outcome is Outcome.PASS
    assert line.value == 5.0
    assert "3.5 EU/mL × 100 mL / 70 kg = 5 EU/kg" in line.explanation.en


def test_endotoxin_above_the_limit_per_kg_fails() -> None:
    line = evaluate_batch(replace(GOOD, endotoxin_eu_per_ml=3.51)).line(ReleaseTest.ENDOTOXIN)
    assert line.outcome is Outcome.FAIL


def test_endotoxin_per_kg_without_volume_or_weight_is_missing_and_says_what_is_needed() -> None:
    line = evaluate_batch(replace(GOOD, recipient_weight_kg=None)).line(ReleaseTest.ENDOTOXIN)
    assert line.outcome is Outcome.MISSING
    assert "recipient weight" in line.explanation.en
    assert "poids du receveur" in line.explanation.fr


def test_endotoxin_can_be_specified_per_ml() -> None:
    spec = ReleaseSpecification(endotoxin_basis=EndotoxinBasis.PER_ML, endotoxin_limit=0.5)
    bare = replace(GOOD, infused_volume_ml=None, recipient_weight_kg=None)
    assert evaluate_batch(bare, spec).conforming
    assert not evaluate_batch(replace(bare, endotoxin_eu_per_ml=0.6), spec).conforming


def test_a_missing_result_makes_the_batch_non_conforming() -> None:
    assessment = evaluate_batch(replace(GOOD, karyotype=None))
    assert not assessment.conforming
    assert [line.test for line in assessment.missing] == [ReleaseTest.KARYOTYPE]


def test_passage_is_checked_only_when_the_specification_sets_a_maximum() -> None:
    spec = ReleaseSpecification(max_passage=3)
    assert evaluate_batch(replace(GOOD, passage=3), spec).conforming
    assert (
        evaluate_batch(replace(GOOD, passage=4), spec).line(ReleaseTest.PASSAGE).outcome
        is Outcome.FAIL
    )
    assert evaluate_batch(GOOD, spec).line(ReleaseTest.PASSAGE).outcome is Outcome.MISSING


@pytest.mark.parametrize(
    ("field", "value"), [("cd73_pct", 101.0), ("viability_pct", -1.0), ("cd34_pct", float("nan"))]
)
def test_it_refuses_an_impossible_percentage(field: str, value: float) -> None:
    with pytest.raises(ProductInputError) as error:
        evaluate_batch(_with(**{field: value}))
    assert error.value.field == field


def test_it_refuses_a_non_conforming_batch_without_a_deviation() -> None:
    assessment = evaluate_batch(replace(GOOD, cd105_pct=90.0, karyotype=None))
    for deviation in (None, "", "   "):
        decision = can_release(assessment, deviation)
        assert not decision.releasable
        assert decision.deviation_required
    assert "CD105 (fail)" in decision.reason.en
    assert "Karyotype (missing)" in decision.reason.en
    assert "Caryotype (manquant)" in decision.reason.fr


def test_it_releases_a_non_conforming_batch_under_a_documented_deviation() -> None:
    assessment = evaluate_batch(replace(GOOD, karyotype=None))
    decision = can_release(
        assessment, "  Caryotype en cours ; décision du pharmacien responsable  "
    )
    assert decision.releasable and not decision.conforming
    assert decision.deviation == "Caryotype en cours ; décision du pharmacien responsable"
    assert decision.deviation in decision.reason.fr


def test_it_accepts_a_categorical_result_given_as_its_stored_text() -> None:
    assert evaluate_batch(_with(sterility="no_growth", karyotype="normal")).conforming


def test_it_refuses_an_unknown_categorical_result() -> None:
    with pytest.raises(ProductInputError) as error:
        evaluate_batch(_with(mycoplasma="maybe"))
    assert error.value.field == "mycoplasma"
