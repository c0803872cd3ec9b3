"""Shared input checks for the calculators: finite numbers within bounds, tri-state items."""

from __future__ import annotations

import math
from enum import StrEnum

from sclerocell.clinical.errors import ClinicalInputError


def number(
    value: object,
    field: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    strict_minimum: bool = False,
) -> float:
    """``value`` as a finite float within the bounds, else :class:`ClinicalInputError`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ClinicalInputError(f"{field}: {value!r} is not a number", field=field)
    result = float(value)
    if not math.isfinite(result):
        raise ClinicalInputError(f"{field}: {value!r} is not a finite number", field=field)
    if minimum is not None:
        if strict_minimum and result <= minimum:
            raise ClinicalInputError(f"{field}: {value!r} must be > {minimum:g}", field=field)
        if not strict_minimum and result < minimum:
            raise ClinicalInputError(f"{field}: {value!r} must be ≥ {minimum:g}", field=field)
    if maximum is not None and result > maximum:
        raise ClinicalInputError(f"{field}: {value!r} must be ≤ {maximum:g}", field=field)
    return result


def tristate(value: object, field: str) -> bool | None:
    """A yes / no / unknown item: ``True``, ``False`` or ``None``; anything else is an error."""
    if value is None or isinstance(value, bool):
        return value
    raise ClinicalInputError(
        f"{field}: {value!r} must be True, False or None (unknown)", field=field
    )


def choice[E: StrEnum](enum: type[E], value: object, field: str) -> E:
    """``value`` as a member of ``enum`` (by value), else :class:`ClinicalInputError`."""
    if isinstance(value, enum):
        return value
    allowed = ", ".join(member.value for member in enum)
    error = ClinicalInputError(f"{field}: {value!r} is not one of {allowed}", field=field)
    if not isinstance(value, str):
        raise error
    try:
        return enum(value)
    except ValueError as exc:
        raise error from exc
