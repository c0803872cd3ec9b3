"""Lab units: documented factors, French lab spellings, clear errors, round trips."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sclerocell.clinical.errors import ClinicalInputError
from sclerocell.clinical.units import (
    ANALYTES,
    UnitError,
    canonical_unit,
    convert,
    get_analyte,
    is_known_unit,
    kpa_to_mmhg,
    mmhg_to_kpa,
    parse_unit,
    to_canonical,
)


def test_it_converts_creatinine_with_the_documented_88_42_factor() -> None:
    assert convert(1.0, "mg/dL", "µmol/L", "creatinine") == pytest.approx(88.42, abs=1e-9)
    assert convert(88.42, "umol/L", "mg/dL", "creatinine") == pytest.approx(1.0, abs=1e-12)
    assert convert(1.4, "mg/dL", "μmol/L", "creatinine") == pytest.approx(123.788, abs=1e-9)


def test_it_converts_bilirubin_with_17_1() -> None:
    assert convert(1.0, "mg/dL", "µmol/L", "bilirubin") == pytest.approx(17.1, abs=1e-9)


def test_it_converts_haemoglobin_between_g_dl_g_l_and_mmol_l() -> None:
    assert convert(1.0, "g/dL", "mmol/L", "haemoglobin") == pytest.approx(0.6206, abs=1e-12)
    assert convert(8.0, "g/dL", "g/L", "hb") == pytest.approx(80.0)
    assert convert(6.2, "mmol/L", "g/dL", "hemoglobin") == pytest.approx(9.9903, abs=1e-4)


@pytest.mark.parametrize(
    "spelling", ["G/L", "10^9/L", "×10⁹/L", "x10E9/L", "10*9/L", "10⁹/L", "x 10^9 / L"]
)
def test_it_reads_every_giga_per_litre_spelling(spelling: str) -> None:
    assert convert(1500.0, "/mm3", spelling, "neutrophils") == pytest.approx(1.5)


@pytest.mark.parametrize("spelling", ["/mm3", "mm3", "/mm³", "/µL", "/uL", "10^6/L", "10⁶/L"])
def test_it_reads_per_cubic_millimetre_as_ten_to_the_six_per_litre(spelling: str) -> None:
    assert convert(0.2, "G/L", spelling, "cd4_lymphocytes") == pytest.approx(200.0)


def test_it_converts_kpa_to_mmhg_with_7_50062() -> None:
    assert round(kpa_to_mmhg(1.0), 5) == 7.50062
    assert kpa_to_mmhg(8.0) == pytest.approx(60.005, abs=1e-3)
    assert kpa_to_mmhg(6.7) == pytest.approx(50.254, abs=1e-3)
    assert mmhg_to_kpa(7.50062) == pytest.approx(1.0, abs=1e-6)
    assert convert(60.0, "mm Hg", "kPa", "pao2") == pytest.approx(7.99934, abs=1e-5)


def test_it_accepts_french_enzyme_and_percent_spellings() -> None:
    assert convert(45.0, "UI/L", "U/L", "alt") == 45.0
    assert convert(72.0, "%", "%", "fvc") == 72.0
    assert convert(15.0, "mg/L", "mg/dL", "crp") == pytest.approx(1.5)


def test_it_rejects_an_unknown_unit_naming_the_analyte_and_the_unit() -> None:
    with pytest.raises(UnitError) as caught:
        convert(1.0, "mg/dk", "µmol/L", "creatinine")
    assert "creatinine" in str(caught.value)
    assert "mg/dk" in str(caught.value)
    assert caught.value.analyte == "creatinine"
    assert caught.value.unit == "mg/dk"
    assert caught.value.field == "creatinine"


def test_it_rejects_a_unit_of_another_quantity_for_the_analyte() -> None:
    with pytest.raises(UnitError, match=r"creatinine.*'mmHg'"):
        convert(1.0, "mmHg", "µmol/L", "creatinine")
    with pytest.raises(UnitError, match=r"neutrophils.*'g/L'"):
        convert(1.0, "g/L", "G/L", "neutrophils")


def test_it_needs_the_analyte_for_a_mass_to_molar_conversion() -> None:
    with pytest.raises(UnitError, match="need the analyte"):
        convert(1.0, "mg/dL", "µmol/L")


def test_it_never_reads_g_per_litre_as_gauss() -> None:
    assert not is_known_unit("G/dL")
    assert parse_unit("G/L") == parse_unit("10^9/L")
    assert parse_unit("g/L") != parse_unit("G/L")


@pytest.mark.parametrize("bad", ["", "   ", "furlongs", "mg/", "10^7/L"])
def test_it_rejects_unknown_spellings(bad: str) -> None:
    with pytest.raises(UnitError):
        convert(1.0, bad, "mmHg")


def test_it_rejects_an_unknown_analyte() -> None:
    with pytest.raises(UnitError, match="unknown analyte 'glucoze'"):
        convert(1.0, "mmol/L", "mmol/L", "glucoze")


@pytest.mark.parametrize("value", [math.nan, math.inf, True, "1.2"])
def test_it_rejects_a_value_that_is_not_a_finite_number(value: object) -> None:
    with pytest.raises(ClinicalInputError):
        convert(value, "mg/dL", "µmol/L", "creatinine")  # type: ignore[arg-type]


def test_every_analyte_has_a_parseable_canonical_unit() -> None:
    for analyte in ANALYTES.values():
        assert is_known_unit(analyte.canonical_unit), analyte.id
    assert canonical_unit("creatinine") == "µmol/L"
    assert canonical_unit("Hb") == "g/dL"
    assert canonical_unit("platelets") == "10⁹/L"
    assert canonical_unit("paco2") == "mmHg"
    assert get_analyte("CD4").id == "cd4_lymphocytes"


def test_it_expresses_a_value_in_the_canonical_unit() -> None:
    assert to_canonical(1.2, "mg/dL", "creatinine") == pytest.approx(106.104)
    assert to_canonical(150_000.0, "/mm3", "platelets") == pytest.approx(150.0)
    assert to_canonical(8.0, "kPa", "pao2") == pytest.approx(60.005, abs=1e-3)


ROUND_TRIPS = [
    ("creatinine", "mg/dL", "µmol/L"),
    ("bilirubin", "mg/dL", "umol/L"),
    ("haemoglobin", "g/dL", "mmol/L"),
    ("haemoglobin", "g/L", "g/dL"),
    ("neutrophils", "G/L", "/mm3"),
    ("pao2", "kPa", "mmHg"),
    ("crp", "mg/L", "mg/dL"),
]


@settings(deadline=None)
@given(
    value=st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False),
    case=st.sampled_from(ROUND_TRIPS),
)
def test_a_conversion_and_its_inverse_return_the_value(
    value: float, case: tuple[str, str, str]
) -> None:
    analyte, unit, other = case
    there = convert(value, unit, other, analyte)
    assert convert(there, other, unit, analyte) == pytest.approx(value, rel=1e-12)
