"""Cockcroft–Gault creatinine clearance and its indexation to body surface area."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sclerocell.clinical.bsa import mosteller
from sclerocell.clinical.errors import ClinicalInputError
from sclerocell.clinical.renal import (
    Sex,
    clearance_with_bsa,
    cockcroft_gault,
    indexed_to_1_73_m2,
    per_m2,
)


@pytest.mark.parametrize(
    ("sex", "age", "weight", "scr", "expected"),
    [
        ("M", 65, 70, 1.4, 52.08),
        ("F", 45, 60, 0.9, 74.77),
        ("M", 60, 80, 1.2, 74.07),
    ],
)
def test_it_matches_the_published_vectors(
    sex: str, age: float, weight: float, scr: float, expected: float
) -> None:
    result = cockcroft_gault(age_years=age, weight_kg=weight, serum_creatinine=scr, sex=sex)
    assert round(result.ml_per_min, 2) == expected


@pytest.mark.parametrize(
    ("sex", "age", "weight", "scr", "expected"),
    [
        ("M", 65, 70, 1.4, 52.08),
        ("F", 45, 60, 0.9, 74.77),
        ("M", 60, 80, 1.2, 74.07),
    ],
)
def test_it_gives_the_same_clearance_from_micromoles(
    sex: str, age: float, weight: float, scr: float, expected: float
) -> None:
    result = cockcroft_gault(
        age_years=age,
        weight_kg=weight,
        serum_creatinine=scr * 88.42,
        creatinine_unit="µmol/L",
        sex=sex,
    )
    assert round(result.ml_per_min, 2) == expected
    assert result.creatinine_mg_per_dl == pytest.approx(scr)
    assert result.creatinine_unit == "µmol/L"


def test_it_records_the_weight_used() -> None:
    result = cockcroft_gault(
        age_years=50, weight_kg=64, serum_creatinine=1.0, sex=Sex.FEMALE, weight_basis="ideal"
    )
    assert result.weight_kg == 64
    assert result.weight_basis == "ideal"
    assert "64 kg (ideal weight)" in result.explain()


def test_it_indexes_to_1_73_m2_and_literally_per_m2() -> None:
    bsa = mosteller(170, 70)
    assert indexed_to_1_73_m2(52.08, bsa) == pytest.approx(52.08 * 1.73 / bsa)
    assert per_m2(52.08, bsa) == pytest.approx(52.08 / bsa)


def test_it_shows_the_raw_clearance_the_bsa_and_both_readings() -> None:
    result = clearance_with_bsa(
        age_years=65, weight_kg=70, height_cm=170, serum_creatinine=1.4, sex="M"
    )
    assert round(result.raw.ml_per_min, 2) == 52.08
    assert round(result.bsa_m2, 4) == 1.8181
    assert result.value("indexed_1_73_m2") == pytest.approx(52.0833 * 1.73 / 1.818119, rel=1e-5)
    assert result.value("per_m2") == pytest.approx(52.0833 / 1.818119, rel=1e-5)
    text = result.explain()
    assert "52.1 mL/min" in text and "1.818 m²" in text and "per m²" in text


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("age_years", {"age_years": 140}),
        ("age_years", {"age_years": -1}),
        ("weight_kg", {"weight_kg": 0}),
        ("serum_creatinine", {"serum_creatinine": 0}),
        ("sex", {"sex": "X"}),
    ],
)
def test_it_rejects_invalid_inputs_at_the_field(field: str, kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {
        "age_years": 60,
        "weight_kg": 70,
        "serum_creatinine": 1.0,
        "sex": "F",
        **kwargs,
    }
    with pytest.raises(ClinicalInputError) as caught:
        cockcroft_gault(**args)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_it_rejects_a_creatinine_unit_that_is_not_one() -> None:
    with pytest.raises(ClinicalInputError, match="creatinine"):
        cockcroft_gault(
            age_years=60, weight_kg=70, serum_creatinine=1.0, sex="F", creatinine_unit="mmHg"
        )


ages = st.floats(min_value=18, max_value=100)
weights = st.floats(min_value=30, max_value=200)
creatinines = st.floats(min_value=0.2, max_value=15)
sexes = st.sampled_from(list(Sex))
steps = st.floats(min_value=0.01, max_value=20)


def _crcl(age: float, weight: float, scr: float, sex: Sex) -> float:
    return cockcroft_gault(
        age_years=age, weight_kg=weight, serum_creatinine=scr, sex=sex
    ).ml_per_min


@settings(deadline=None)
@given(age=ages, weight=weights, scr=creatinines, sex=sexes, step=steps)
def test_it_decreases_with_age(
    age: float, weight: float, scr: float, sex: Sex, step: float
) -> None:
    assert _crcl(age + step, weight, scr, sex) < _crcl(age, weight, scr, sex)


@settings(deadline=None)
@given(age=ages, weight=weights, scr=creatinines, sex=sexes, step=steps)
def test_it_decreases_with_creatinine(
    age: float, weight: float, scr: float, sex: Sex, step: float
) -> None:
    assert _crcl(age, weight, scr + step, sex) < _crcl(age, weight, scr, sex)


@settings(deadline=None)
@given(age=ages, weight=weights, scr=creatinines, sex=sexes, step=steps)
def test_it_increases_with_weight(
    age: float, weight: float, scr: float, sex: Sex, step: float
) -> None:
    assert _crcl(age, weight + step, scr, sex) > _crcl(age, weight, scr, sex)
