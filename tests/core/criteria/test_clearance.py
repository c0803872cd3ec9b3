"""Cockcroft–Gault clearance indexed to body surface area (R-E2b)."""

from __future__ import annotations

import datetime as dt

import pytest

from sclerocell.clinical.renal import clearance_with_bsa
from sclerocell.criteria.clearance import ClearanceBelow, indexed, raw_clearance
from sclerocell.criteria.status import Status
from sclerocell.criteria.windows import Window
from sclerocell.facts.schema import Fact

from .build import T, days, fact, run


def leaf(indexing: str = "indexed_1_73_m2", threshold: float = 20) -> ClearanceBelow:
    return ClearanceBelow(
        id="crcl",
        text=T,
        threshold=threshold,
        indexing=indexing,  # type: ignore[arg-type]
        lab_window=Window(3),
    )


def person(
    sex: str = "M",
    born: dt.date = dt.date(1959, 1, 1),
    weight: float = 70,
    creat: float = 1.4 * 88.42,
    height: float = 170,
) -> list[Fact]:
    return [
        fact("birth_month", born),
        fact("sex", None, text=sex),
        fact("weight", days(3), weight),
        fact("creatinine", days(3), creat),
        fact("height", days(3), height),
    ]


@pytest.mark.parametrize(
    ("age", "weight", "mg_dl", "expected"),
    [(65, 70, 1.4, 52.08), (60, 80, 1.2, 74.07)],
)
def test_it_reproduces_the_domain_vectors(
    age: int, weight: float, mg_dl: float, expected: float
) -> None:
    assert raw_clearance(age, weight, mg_dl * 88.42) == pytest.approx(expected, abs=0.01)


def test_it_agrees_with_the_clinical_calculator() -> None:
    clinical = clearance_with_bsa(
        age_years=45,
        weight_kg=60,
        height_cm=160,
        serum_creatinine=80,
        sex="F",
        creatinine_unit="µmol/L",
    )
    raw = raw_clearance(45, 60, 80) * 0.85
    assert raw == pytest.approx(clinical.raw.ml_per_min, rel=1e-12)
    assert indexed(raw, clinical.bsa_m2, "indexed_1_73_m2") == pytest.approx(
        clinical.indexed_1_73_m2
    )
    assert indexed(raw, clinical.bsa_m2, "per_m2") == pytest.approx(clinical.per_m2)


def test_it_shows_raw_clearance_bsa_and_both_readings() -> None:
    result = run(leaf(), *person())
    assert result.status is Status.NOT_MET
    values = dict(result.evidence.values)
    assert values["raw_clearance_ml_min"] == pytest.approx(52.08, abs=0.01)
    assert values["bsa_m2"] == pytest.approx(1.8181, abs=1e-4)
    assert values["clearance_ml_min_1_73_m2"] == pytest.approx(52.08 * 1.73 / 1.8181, abs=0.01)
    assert values["clearance_ml_min_m2"] == pytest.approx(52.08 / 1.8181, abs=0.01)


def test_it_meets_just_under_the_threshold_and_not_on_it() -> None:
    # Per m²: 52.08 / 1.8181 = 28.6 mL/min/m²; the threshold is moved around it.
    result = run(leaf("per_m2", 28.65), *person())
    assert result.status is Status.MET
    assert run(leaf("per_m2", 28.6), *person()).status is Status.NOT_MET


def test_it_applies_the_female_factor() -> None:
    men = run(leaf(), *person("M")).evidence.value("raw_clearance_ml_min")
    women = run(leaf(), *person("F")).evidence.value("raw_clearance_ml_min")
    assert isinstance(men, float) and isinstance(women, float)
    assert women == pytest.approx(men * 0.85)


@pytest.mark.parametrize("drop", ["birth_month", "sex", "weight", "creatinine", "height"])
def test_it_is_unknown_when_an_input_is_missing(drop: str) -> None:
    facts = [f for f in person() if f.code != drop]
    result = run(leaf(), *facts)
    assert result.status is Status.UNKNOWN
    assert result.evidence.missing is not None


def test_it_is_unknown_when_the_exact_age_would_change_the_answer() -> None:
    # Born in the index month: 64 or 65 years; pick the threshold between the two clearances.
    facts = person(born=dt.date(1959, 5, 1))
    at_64 = raw_clearance(64, 70, 1.4 * 88.42) / 1.8181046 * 1.73
    at_65 = raw_clearance(65, 70, 1.4 * 88.42) / 1.8181046 * 1.73
    assert run(leaf(threshold=(at_64 + at_65) / 2), *facts).status is Status.UNKNOWN
