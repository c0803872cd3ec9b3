"""Unit normalisation: every number enters the fact table in its code's canonical unit.

Conversions come from :mod:`sclerocell.clinical.units` (one pint registry, the spellings French lab
reports use, the analyte-specific factors: creatinine 88.42, 1 kPa = 7.50062 mmHg…). A converted
value is rounded to 12 significant digits so that conversion noise (``1.2000000000000002``)
cannot move a value across a protocol threshold; the value and unit as measured are kept in the
fact's ``value_text`` (e.g. ``"7.9 kPa"``), so the evidence shows both.
"""

from __future__ import annotations

from dataclasses import dataclass

from sclerocell.clinical.units import UnitError, convert, parse_unit
from sclerocell.facts.codes import get


@dataclass(frozen=True, slots=True)
class Normalised:
    value: float
    unit: str | None
    as_measured: str | None  # "<value> <unit>" when a conversion happened


def _round(value: float) -> float:
    return float(f"{value:.12g}")


def _same_unit(unit: str, canonical: str, analyte: str | None) -> bool:
    if unit == canonical:
        return True
    try:
        return bool(parse_unit(unit, analyte) == parse_unit(canonical, analyte))
    except UnitError:
        return False


def normalise(code: str, value: float, unit: str | None) -> Normalised:
    """``value`` (in ``unit``; ``None`` means already canonical) in the canonical unit of ``code``.

    Raises :class:`sclerocell.clinical.units.UnitError` for a unit that is not a unit of that
    quantity.
    """
    definition = get(code)
    canonical = definition.unit
    if unit is None or canonical is None or _same_unit(unit, canonical, definition.analyte):
        if canonical is None and unit is not None:
            raise UnitError(f"{code}: takes no unit, got {unit!r}", unit=unit, analyte=code)
        return Normalised(float(value), canonical, None)
    if definition.analyte is None:
        raise UnitError(
            f"{code}: unit {unit!r} is not {canonical!r}", unit=unit, analyte=definition.code
        )
    converted = convert(value, unit, canonical, definition.analyte)
    return Normalised(_round(converted), canonical, f"{value:g} {unit}")


def normalise_reference(code: str, value: float | None, unit: str | None) -> float | None:
    """A reference limit (``ref_low``/``ref_high``) in the canonical unit, with the same rule."""
    return None if value is None else normalise(code, value, unit).value
