"""Creatinine clearance: Cockcroft–Gault, and its indexation to body surface area.

- Cockcroft DW, Gault MH. Nephron 1976;16:31–41:
  CrCl (mL/min) = (140 − age) × weight (kg) / (72 × SCr mg/dL), × 0.85 for women.
  SCr in µmol/L is divided by 88.42 to give mg/dL (see :mod:`sclerocell.clinical.units`).
  The raw formula is *not* indexed to body surface area.
- Indexed clearance (DOMAIN.md §6): CrCl × 1.73 / BSA (mL/min/1.73 m²); literal per m²:
  CrCl / BSA (mL/min/m²). The protocol's R-E2b threshold "< 20 mL/min/m²" is read by default
  as the 1.73 m² indexation with Mosteller BSA; the literal per-m² reading is a setting.

DOMAIN.md vectors: M 65 y 70 kg SCr 1.4 → 52.08; F 45 y 60 kg 0.9 → 74.77;
M 60 y 80 kg 1.2 → 74.07 mL/min. The weight used is recorded with the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from sclerocell.clinical._checks import choice, number
from sclerocell.clinical.bsa import BsaFormula, body_surface_area
from sclerocell.clinical.errors import ClinicalInputError
from sclerocell.clinical.units import convert

__all__ = [
    "ClearanceReading",
    "CockcroftGault",
    "IndexedClearance",
    "Sex",
    "clearance_with_bsa",
    "cockcroft_gault",
    "indexed_to_1_73_m2",
    "parse_sex",
    "per_m2",
]

FEMALE_FACTOR = 0.85


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


_SEX_SPELLINGS = MappingProxyType(
    {
        "male": Sex.MALE,
        "m": Sex.MALE,
        "h": Sex.MALE,
        "homme": Sex.MALE,
        "masculin": Sex.MALE,
        "female": Sex.FEMALE,
        "f": Sex.FEMALE,
        "femme": Sex.FEMALE,
        "féminin": Sex.FEMALE,
    }
)


def parse_sex(value: Sex | str) -> Sex:
    """``Sex`` from its English or French spelling (``"M"``/``"H"``/``"F"``…)."""
    if isinstance(value, Sex):
        return value
    key = value.strip().casefold() if isinstance(value, str) else None
    if key is None or key not in _SEX_SPELLINGS:
        raise ClinicalInputError(f"sex: {value!r} is not male or female", field="sex")
    return _SEX_SPELLINGS[key]


@dataclass(frozen=True)
class CockcroftGault:
    """A Cockcroft–Gault clearance with every input it was computed from."""

    ml_per_min: float
    age_years: float
    weight_kg: float
    weight_basis: str
    sex: Sex
    creatinine_mg_per_dl: float
    creatinine_value: float
    creatinine_unit: str

    def explain(self) -> str:
        female = f" × {FEMALE_FACTOR}" if self.sex is Sex.FEMALE else ""
        return (
            f"Cockcroft–Gault: (140 − {self.age_years:g}) × {self.weight_kg:g} kg "
            f"({self.weight_basis} weight) / (72 × {self.creatinine_mg_per_dl:.3g} mg/dL)"
            f"{female} = {self.ml_per_min:.1f} mL/min (not indexed)"
        )


def cockcroft_gault(
    *,
    age_years: float,
    weight_kg: float,
    serum_creatinine: float,
    sex: Sex | str,
    creatinine_unit: str = "mg/dL",
    weight_basis: str = "actual",
) -> CockcroftGault:
    """Creatinine clearance in mL/min (not indexed), from SCr in mg/dL or µmol/L (or any unit
    of creatinine :func:`~sclerocell.clinical.units.convert` knows).

    ``weight_basis`` records which weight was used (``"actual"``, ``"ideal"``, ``"adjusted"``…).
    """
    age = number(age_years, "age_years", minimum=0)
    if age >= 140:
        raise ClinicalInputError(
            f"age_years: {age_years!r} must be < 140 for Cockcroft–Gault", field="age_years"
        )
    weight = number(weight_kg, "weight_kg", minimum=0, maximum=700, strict_minimum=True)
    given = number(serum_creatinine, "serum_creatinine", minimum=0, strict_minimum=True)
    scr = convert(given, creatinine_unit, "mg/dL", "creatinine")
    chosen_sex = parse_sex(sex)
    clearance = (140.0 - age) * weight / (72.0 * scr)
    if chosen_sex is Sex.FEMALE:
        clearance *= FEMALE_FACTOR
    return CockcroftGault(
        ml_per_min=clearance,
        age_years=age,
        weight_kg=weight,
        weight_basis=weight_basis,
        sex=chosen_sex,
        creatinine_mg_per_dl=scr,
        creatinine_value=given,
        creatinine_unit=creatinine_unit,
    )


def _clearance_and_bsa(clearance_ml_min: float, bsa_m2: float) -> tuple[float, float]:
    clearance = number(clearance_ml_min, "clearance_ml_min", minimum=0)
    bsa = number(bsa_m2, "bsa_m2", minimum=0, strict_minimum=True)
    return clearance, bsa


def indexed_to_1_73_m2(clearance_ml_min: float, bsa_m2: float) -> float:
    """Clearance in mL/min/1.73 m²: CrCl × 1.73 / BSA."""
    clearance, bsa = _clearance_and_bsa(clearance_ml_min, bsa_m2)
    return clearance * 1.73 / bsa


def per_m2(clearance_ml_min: float, bsa_m2: float) -> float:
    """Clearance literally per m² of body surface: CrCl / BSA (mL/min/m²)."""
    clearance, bsa = _clearance_and_bsa(clearance_ml_min, bsa_m2)
    return clearance / bsa


class ClearanceReading(StrEnum):
    """Which reading of "mL/min/m²" a protocol setting applies."""

    INDEXED_1_73_M2 = "indexed_1_73_m2"
    PER_M2 = "per_m2"


@dataclass(frozen=True)
class IndexedClearance:
    """Raw Cockcroft–Gault clearance, the BSA, and both indexed readings (for R-E2b)."""

    raw: CockcroftGault
    height_cm: float
    bsa_m2: float
    bsa_formula: BsaFormula
    indexed_1_73_m2: float
    per_m2: float

    def value(self, reading: ClearanceReading | str) -> float:
        """The clearance under the chosen reading."""
        if choice(ClearanceReading, reading, "reading") is ClearanceReading.PER_M2:
            return self.per_m2
        return self.indexed_1_73_m2

    def explain(self) -> str:
        return (
            f"{self.raw.explain()}; BSA ({self.bsa_formula.value}) {self.bsa_m2:.3f} m² "
            f"from {self.height_cm:g} cm and {self.raw.weight_kg:g} kg; "
            f"indexed {self.indexed_1_73_m2:.1f} mL/min/1.73 m²; "
            f"per m² {self.per_m2:.1f} mL/min/m²"
        )


def clearance_with_bsa(
    *,
    age_years: float,
    weight_kg: float,
    height_cm: float,
    serum_creatinine: float,
    sex: Sex | str,
    creatinine_unit: str = "mg/dL",
    bsa_formula: BsaFormula | str = BsaFormula.MOSTELLER,
    weight_basis: str = "actual",
) -> IndexedClearance:
    """Cockcroft–Gault clearance with the BSA and both indexed readings."""
    raw = cockcroft_gault(
        age_years=age_years,
        weight_kg=weight_kg,
        serum_creatinine=serum_creatinine,
        sex=sex,
        creatinine_unit=creatinine_unit,
        weight_basis=weight_basis,
    )
    bsa = body_surface_area(height_cm, weight_kg, bsa_formula)
    return IndexedClearance(
        raw=raw,
        height_cm=float(height_cm),
        bsa_m2=bsa,
        bsa_formula=choice(BsaFormula, bsa_formula, "bsa_formula"),
        indexed_1_73_m2=indexed_to_1_73_m2(raw.ml_per_min, bsa),
        per_m2=per_m2(raw.ml_per_min, bsa),
    )
