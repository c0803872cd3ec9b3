"""Units at the door: the unit of every numeric OMOP row resolved and its conversion factor to the
fact code's canonical unit computed once per distinct (code, unit_concept_id, unit_source_value).

The factors come from :mod:`sclerocell.facts.units` / :mod:`sclerocell.clinical.units` (one pint
registry); only the handful of distinct unit spellings is handled in Python, the rows are
converted in the engine (value × factor). A converted value is rounded to 9 decimal places in
the engine — portable SQL that removes binary noise such as ``1.2000000000000002`` — where the
eCRF path rounds to 12 significant digits; both leave clinical values unchanged.

Resolution order: the unit concept (``data/value_concepts.csv``, else the warehouse's ``concept``
table), the unit as written (``unit_source_value``), the concept map's default unit. A unit
concept and a written unit that disagree, an unknown unit, a unit of another quantity, or no
unit at all reject the row with that reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sclerocell.clinical.units import UnitError, convert
from sclerocell.facts import codes
from sclerocell.facts.units import normalise

# UCUM spellings (as in OMOP unit concept codes) the units module spells differently.
UCUM: dict[str, str] = {
    "10*3/uL": "G/L",
    "10*3/ul": "G/L",
    "10*3/mm3": "G/L",
    "10*9/L": "G/L",
    "10*6/L": "10^6/L",
    "10*12/L": "T/L",
    "mm[Hg]": "mmHg",
    "[iU]/L": "IU/L",
    "{score}": "points",
    "{points}": "points",
    "umol/L": "µmol/L",
}


@dataclass(frozen=True, slots=True)
class UnitChoice:
    fact_code: str
    unit_concept_id: int  # 0: none
    unit_source_value: str  # "": none
    default_unit: str  # "": none
    spelling: str | None
    factor: float | None
    canonical: str | None
    problem: str | None


def spelling(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    cleaned = text.strip()
    return UCUM.get(cleaned, cleaned)


def factor(code: str, unit: str) -> float:
    """The multiplier from ``unit`` to the canonical unit of ``code`` (:class:`UnitError` when
    ``unit`` is not a unit of that quantity)."""
    definition = codes.get(code)
    if definition.analyte is None or definition.unit is None:
        return normalise(code, 1.0, unit).value
    one = convert(1.0, unit, definition.unit, definition.analyte)
    two = convert(2.0, unit, definition.unit, definition.analyte)
    if not math.isclose(two, 2 * one, rel_tol=1e-12):
        raise UnitError(f"{code}: {unit!r} is not a proportional unit", unit=unit, analyte=code)
    return float(f"{one:.15g}")


def _try(code: str, unit: str | None) -> tuple[float | None, str | None]:
    if unit is None:
        return None, None
    try:
        return factor(code, unit), None
    except UnitError as exc:
        return None, str(exc)


def choose(
    code: str,
    unit_concept_id: int,
    unit_source_value: str,
    default_unit: str,
    concept_units: dict[int, str],
) -> UnitChoice:
    """The unit of rows of ``code`` with this unit concept / written unit / map default."""
    canonical = codes.get(code).unit
    from_concept = spelling(concept_units.get(unit_concept_id)) if unit_concept_id else None
    written = spelling(unit_source_value)
    f_concept, e_concept = _try(code, from_concept)
    f_written, e_written = _try(code, written)

    def done(unit: str | None, value: float | None, problem: str | None) -> UnitChoice:
        return UnitChoice(
            code,
            unit_concept_id,
            unit_source_value,
            default_unit,
            unit,
            value,
            canonical,
            problem,
        )

    if f_concept is not None and f_written is not None:
        if not math.isclose(f_concept, f_written, rel_tol=1e-9):
            return done(
                None,
                None,
                f"unit_concept_id {unit_concept_id} ({from_concept}) and unit_source_value "
                f"{unit_source_value!r} disagree",
            )
        return done(from_concept, f_concept, None)
    if f_concept is not None:
        return done(from_concept, f_concept, None)
    if f_written is not None:
        return done(written, f_written, None)
    if e_written is not None:
        return done(None, None, e_written)
    if e_concept is not None:
        return done(None, None, e_concept)
    fallback = spelling(default_unit)
    if fallback is not None:
        f_default, e_default = _try(code, fallback)
        return done(fallback if f_default is not None else None, f_default, e_default)
    if unit_concept_id:
        return done(None, None, f"unit_concept_id {unit_concept_id} is not a known unit concept")
    return done(None, None, "no unit")
