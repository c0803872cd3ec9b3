"""Exact comparisons of measured values at protocol boundaries.

A dose of exactly +10 % or an endotoxin load of exactly 5 EU/kg must land on the boundary, not
one ulp beyond it. Values are read as the decimal the user typed (the shortest ``repr`` of the
float) and compared as fractions, so ``77e6 / 70`` against ``1.1 × 10⁶`` is exact.
"""

from __future__ import annotations

from fractions import Fraction


def exact(value: float | int) -> Fraction:
    """The decimal value of ``value`` as a fraction (``0.1`` → ``1/10``, not the binary double)."""
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(repr(float(value)))
