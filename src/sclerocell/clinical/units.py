"""Lab values with their units: one pint registry, the spellings French lab reports use, and the
analyte-specific conversions between mass and molar concentrations.

Sources (DOMAIN.md §6 and the usual clinical factors):

- creatinine: 1 mg/dL = **88.42** µmol/L. This is the documented factor (the clinical convention
  used by the published µmol/L form of Cockcroft–Gault). The chemical molar mass of creatinine,
  113.12 g/mol, would give 88.40; we deliberately use 88.42, i.e. an effective molar mass of
  10 000 / 88.42 g/mol, so that both forms of Cockcroft–Gault agree exactly.
- bilirubin: 1 mg/dL = 17.1 µmol/L.
- haemoglobin: 1 g/dL = 10 g/L = 0.6206 mmol/L (haemoglobin monomer, as CTCAE v5.0 writes it).
- cell counts: ``G/L`` = ``10⁹/L``; ``/mm³`` = ``/µL`` = 10⁶/L; ``T/L`` = 10¹²/L.
- pressure: 1 kPa = 7.50062 mmHg (pint's conventional millimetre of mercury, 133.322387 Pa,
  which gives 7.500617 — the published figure to its 5 decimals).
- pulmonary vascular resistance: 1 Wood unit = 1 mmHg·min/L = 80 dyn·s·cm⁻⁵.

Canonical unit of each analyte (one table, :data:`ANALYTES`): creatinine and bilirubin µmol/L
(the unit French labs report), haemoglobin g/dL (the unit of the protocol's threshold), blood cell
counts 10⁹/L, CD4 lymphocytes 10⁶/L (the protocol writes its threshold as 200 × 10⁶/L), CRP mg/L,
transaminases U/L, pressures mmHg, PFT values and LVEF in % (of predicted / ejection fraction).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

import pint

from sclerocell.clinical.errors import ClinicalInputError

__all__ = [
    "ANALYTES",
    "Analyte",
    "UnitError",
    "canonical_unit",
    "convert",
    "get_analyte",
    "is_known_unit",
    "kpa_to_mmhg",
    "mmhg_to_kpa",
    "parse_unit",
    "registry",
    "to_canonical",
]


class UnitError(ClinicalInputError):
    """A unit is unknown, or cannot be converted to the unit asked for (for that analyte)."""

    def __init__(
        self, message: str, *, unit: str | None = None, analyte: str | None = None
    ) -> None:
        super().__init__(message, field=analyte)
        self.unit = unit
        self.analyte = analyte


# Custom units, defined once for the whole package.
_DEFINITIONS = (
    "per_cubic_millimeter = 1 / millimeter ** 3 = per_mm3",
    "mega_per_liter = 1e6 / liter = M_per_L",
    "giga_per_liter = 1e9 / liter = G_per_L",
    "tera_per_liter = 1e12 / liter = T_per_L",
    "wood_unit = millimeter_Hg * minute / liter = WU",
)


@cache
def registry() -> pint.UnitRegistry:
    """The package's single unit registry (built on first use, then shared)."""
    reg = pint.UnitRegistry()
    for definition in _DEFINITIONS:
        reg.define(definition)
    return reg


@dataclass(frozen=True)
class Analyte:
    """A measured quantity, its canonical unit and, for molar units, its effective molar mass."""

    id: str
    label_en: str
    label_fr: str
    canonical_unit: str
    molar_mass_g_per_mol: float | None = None
    conversion_note: str = ""


def _analytes(*items: Analyte) -> Mapping[str, Analyte]:
    return MappingProxyType({a.id: a for a in items})


ANALYTES: Mapping[str, Analyte] = _analytes(
    Analyte(
        "creatinine",
        "Serum creatinine",
        "Créatininémie",
        "µmol/L",
        molar_mass_g_per_mol=10_000 / 88.42,
        conversion_note="1 mg/dL = 88.42 µmol/L",
    ),
    Analyte(
        "bilirubin",
        "Total bilirubin",
        "Bilirubine totale",
        "µmol/L",
        molar_mass_g_per_mol=10_000 / 17.1,
        conversion_note="1 mg/dL = 17.1 µmol/L",
    ),
    Analyte(
        "haemoglobin",
        "Haemoglobin",
        "Hémoglobine",
        "g/dL",
        molar_mass_g_per_mol=10 / 0.6206e-3,
        conversion_note="1 g/dL = 10 g/L = 0.6206 mmol/L (monomer)",
    ),
    Analyte("leukocytes", "White blood cells", "Leucocytes", "10⁹/L"),
    Analyte("neutrophils", "Neutrophils", "Polynucléaires neutrophiles", "10⁹/L"),
    Analyte("lymphocytes", "Lymphocytes", "Lymphocytes", "10⁹/L"),
    Analyte("eosinophils", "Eosinophils", "Polynucléaires éosinophiles", "10⁹/L"),
    Analyte("platelets", "Platelets", "Plaquettes", "10⁹/L"),
    Analyte("cd4_lymphocytes", "CD4 lymphocytes", "Lymphocytes CD4", "10⁶/L"),
    Analyte("crp", "C-reactive protein", "Protéine C réactive", "mg/L"),
    Analyte("alt", "Alanine aminotransferase", "ALAT (TGP)", "U/L"),
    Analyte("ast", "Aspartate aminotransferase", "ASAT (TGO)", "U/L"),
    Analyte("pao2", "Arterial PaO2", "PaO2 artérielle", "mmHg"),
    Analyte("paco2", "Arterial PaCO2", "PaCO2 artérielle", "mmHg"),
    Analyte("mpap", "Mean pulmonary arterial pressure", "PAP moyenne", "mmHg"),
    Analyte("spap", "Systolic pulmonary arterial pressure", "PAP systolique", "mmHg"),
    Analyte("pawp", "Pulmonary arterial wedge pressure", "Pression capillaire", "mmHg"),
    Analyte("pvr", "Pulmonary vascular resistance", "Résistances vasculaires pulmonaires", "WU"),
    Analyte("systolic_bp", "Systolic blood pressure", "Pression artérielle systolique", "mmHg"),
    Analyte("diastolic_bp", "Diastolic blood pressure", "Pression artérielle diastolique", "mmHg"),
    Analyte("fvc", "FVC, % predicted", "CVF, % de la théorique", "%"),
    Analyte("tlc", "TLC, % predicted", "CPT, % de la théorique", "%"),
    Analyte("dlco", "DLCO, % predicted", "DLCO, % de la théorique", "%"),
    Analyte("lvef", "Left-ventricular ejection fraction", "Fraction d'éjection VG", "%"),
    Analyte("weight", "Body weight", "Poids", "kg"),
    Analyte("height", "Height", "Taille", "cm"),
    Analyte("creatinine_clearance", "Creatinine clearance", "Clairance de la créatinine", "mL/min"),
)

_ANALYTE_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "hemoglobin": "haemoglobin",
        "hb": "haemoglobin",
        "hgb": "haemoglobin",
        "creatinine": "creatinine",
        "scr": "creatinine",
        "wbc": "leukocytes",
        "anc": "neutrophils",
        "cd4": "cd4_lymphocytes",
        "alat": "alt",
        "asat": "ast",
    }
)

# Exact spellings (after whitespace removal and µ → u) mapped to pint expressions.
_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "G/L": "giga_per_liter",
        "T/L": "tera_per_liter",
        "/mm3": "per_cubic_millimeter",
        "mm3": "per_cubic_millimeter",
        "mm-3": "per_cubic_millimeter",
        "/mm^3": "per_cubic_millimeter",
        "cells/mm3": "per_cubic_millimeter",
        "/uL": "per_cubic_millimeter",
        "/ul": "per_cubic_millimeter",
        "cells/uL": "per_cubic_millimeter",
        "%": "percent",
        "WU": "wood_unit",
        "UW": "wood_unit",
        "dyn.s.cm-5": "dyn * s / cm ** 5",
        "dyn*s/cm5": "dyn * s / cm ** 5",
        "dyn.s/cm5": "dyn * s / cm ** 5",
        "kg/m2": "kg / m ** 2",
        "m2": "m ** 2",
    }
)

# Case-insensitive spellings that cannot be confused with another unit.
_CASELESS_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "mmhg": "millimeter_Hg",
        "kpa": "kilopascal",
        "ui/l": "U / L",
        "iu/l": "U / L",
        "u/l": "U / L",
        "ml/min": "mL / min",
    }
)

# Powers of ten per litre: "10^9/L", "×10⁹/L", "x10E9/L", "10*9/L", "109/L" (lost superscript).
_POWER_PER_LITRE = re.compile(r"^[x×*·.]?10(?:\^|\*\*|\*|e|E)?(?P<exp>6|9|12)/[lL]$")
_POWER_UNITS = MappingProxyType(
    {"6": "mega_per_liter", "9": "giga_per_liter", "12": "tera_per_liter"}
)
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_LETTER_THEN_DIGIT = re.compile(r"(?<=[A-Za-z])(?=\d)")


def _normalise(spelling: str) -> str:
    text = unicodedata.normalize("NFC", spelling).translate(_SUPERSCRIPTS)
    text = text.replace("µ", "u").replace("μ", "u")
    return re.sub(r"\s+", "", text)


def _pint_expression(spelling: str) -> str | None:
    text = _normalise(spelling)
    if not text:
        return None
    if text in _ALIASES:
        return _ALIASES[text]
    if text.casefold() in _CASELESS_ALIASES:
        return _CASELESS_ALIASES[text.casefold()]
    match = _POWER_PER_LITRE.match(text)
    if match:
        return _POWER_UNITS[match.group("exp")]
    if text.startswith(("G", "T")) and "/" in text and text[1] == "/":
        return None  # "G/dL", "T/mL"…: giga/tera counts we do not define, never gauss or tesla
    # "mm3", "m2" → "mm**3", "m**2"
    return _LETTER_THEN_DIGIT.sub("**", text)


def parse_unit(spelling: str, analyte: str | None = None) -> pint.Unit:
    """The pint unit for a lab-report spelling; :class:`UnitError` when it is not a unit we know."""
    expression = _pint_expression(spelling) if isinstance(spelling, str) else None
    if expression is None:
        message = _message(analyte, f"unknown unit {spelling!r}")
        raise UnitError(message, unit=str(spelling), analyte=analyte)
    try:
        unit = registry().parse_units(expression)
    except (pint.errors.PintError, AttributeError, TypeError, ValueError) as exc:
        raise UnitError(
            _message(analyte, f"unknown unit {spelling!r}"), unit=spelling, analyte=analyte
        ) from exc
    return unit


def is_known_unit(spelling: str) -> bool:
    """Whether :func:`parse_unit` understands this spelling."""
    try:
        parse_unit(spelling)
    except UnitError:
        return False
    return True


def get_analyte(analyte: str) -> Analyte:
    """The analyte for an id or a common alias (``"hb"``, ``"hemoglobin"``…), case-insensitive."""
    key = analyte.strip().casefold() if isinstance(analyte, str) else ""
    key = _ANALYTE_ALIASES.get(key, key)
    if key not in ANALYTES:
        raise UnitError(f"unknown analyte {analyte!r}", analyte=str(analyte))
    return ANALYTES[key]


def canonical_unit(analyte: str) -> str:
    """The unit every value of this analyte is stored in (display spelling)."""
    return get_analyte(analyte).canonical_unit


def _message(analyte: str | None, text: str) -> str:
    return f"{analyte}: {text}" if analyte else text


def _check_value(value: float, analyte: str | None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        message = _message(analyte, f"value {value!r} is not a number")
        raise ClinicalInputError(message, field=analyte)
    number = float(value)
    if not math.isfinite(number):
        raise ClinicalInputError(_message(analyte, f"value {value!r} is not finite"), field=analyte)
    return number


def convert(value: float, from_unit: str, to_unit: str, analyte: str | None = None) -> float:
    """Convert ``value`` from one unit spelling to another.

    Mass ↔ molar concentrations (mg/dL ↔ µmol/L, g/dL ↔ mmol/L) need ``analyte``; with an
    analyte, both units must also be units of that analyte. Raises :class:`UnitError` (naming the
    analyte and the unit) for an unknown or incompatible unit.
    """
    number = _check_value(value, analyte)
    info = get_analyte(analyte) if analyte is not None else None
    name = info.id if info else None
    source = parse_unit(from_unit, name)
    target = parse_unit(to_unit, name)
    reg = registry()
    if info is not None:
        canonical = parse_unit(info.canonical_unit, name)
        for spelling, unit in ((from_unit, source), (to_unit, target)):
            if not _compatible(unit, canonical, info):
                raise UnitError(
                    f"{info.id}: unit {spelling!r} is not a unit of {info.id} "
                    f"(expected something convertible to {info.canonical_unit})",
                    unit=spelling,
                    analyte=info.id,
                )
    quantity = reg.Quantity(number, source)
    try:
        if (
            info is not None
            and info.molar_mass_g_per_mol is not None
            and source.dimensionality != target.dimensionality
        ):
            # Through the molar mass by hand rather than pint's "chemistry" context: enabling a
            # context mutates the shared registry, which is not safe across request threads.
            mw = info.molar_mass_g_per_mol
            if source.dimensionality == reg.parse_units("g/L").dimensionality:
                quantity = reg.Quantity(quantity.to("g/L").magnitude / mw, "mol/L")
            else:
                quantity = reg.Quantity(quantity.to("mol/L").magnitude * mw, "g/L")
        result = quantity.to(target)
    except pint.errors.DimensionalityError as exc:
        hint = "" if info else " (mass ↔ molar conversions need the analyte)"
        raise UnitError(
            _message(name, f"cannot convert {from_unit!r} to {to_unit!r}{hint}"),
            unit=from_unit,
            analyte=name,
        ) from exc
    return float(result.magnitude)


def _compatible(unit: pint.Unit, canonical: pint.Unit, info: Analyte) -> bool:
    if unit.dimensionality == canonical.dimensionality:
        return True
    if info.molar_mass_g_per_mol is None:
        return False
    reg = registry()
    mass = reg.parse_units("g/L").dimensionality
    molar = reg.parse_units("mol/L").dimensionality
    return {unit.dimensionality, canonical.dimensionality} == {mass, molar}


def to_canonical(value: float, unit: str, analyte: str) -> float:
    """``value`` (in ``unit``) expressed in the analyte's canonical unit."""
    return convert(value, unit, canonical_unit(analyte), analyte)


def kpa_to_mmhg(kpa: float) -> float:
    """Kilopascals to millimetres of mercury (1 kPa = 7.50062 mmHg)."""
    return convert(kpa, "kPa", "mmHg")


def mmhg_to_kpa(mmhg: float) -> float:
    """Millimetres of mercury to kilopascals (1 kPa = 7.50062 mmHg)."""
    return convert(mmhg, "mmHg", "kPa")
