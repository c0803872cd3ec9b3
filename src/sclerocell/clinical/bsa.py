"""Body surface area (m²) from height and weight.

- Mosteller RD. N Engl J Med 1987;317:1098: BSA = √(height cm × weight kg / 3600).
- Du Bois D, Du Bois EF. Arch Intern Med 1916;17:863: BSA = 0.007184 × h^0.725 × w^0.425.

DOMAIN.md §6 vector: 170 cm, 70 kg → 1.8181 (Mosteller), 1.8097 (DuBois). The protocol's
default indexation (R-E2b) uses Mosteller.
"""

from __future__ import annotations

import math
from enum import StrEnum

from sclerocell.clinical._checks import choice, number

__all__ = ["BsaFormula", "body_surface_area", "dubois", "mosteller"]


class BsaFormula(StrEnum):
    MOSTELLER = "mosteller"
    DUBOIS = "dubois"


def _inputs(height_cm: float, weight_kg: float) -> tuple[float, float]:
    height = number(height_cm, "height_cm", minimum=0, maximum=300, strict_minimum=True)
    weight = number(weight_kg, "weight_kg", minimum=0, maximum=700, strict_minimum=True)
    return height, weight


def mosteller(height_cm: float, weight_kg: float) -> float:
    """Mosteller BSA in m²."""
    height, weight = _inputs(height_cm, weight_kg)
    return math.sqrt(height * weight / 3600.0)


def dubois(height_cm: float, weight_kg: float) -> float:
    """Du Bois BSA in m²."""
    height, weight = _inputs(height_cm, weight_kg)
    return 0.007184 * math.pow(height, 0.725) * math.pow(weight, 0.425)


def body_surface_area(
    height_cm: float, weight_kg: float, formula: BsaFormula | str = BsaFormula.MOSTELLER
) -> float:
    """BSA in m² by the named formula (a protocol setting; Mosteller by default)."""
    chosen = choice(BsaFormula, formula, "bsa_formula")
    if chosen is BsaFormula.DUBOIS:
        return dubois(height_cm, weight_kg)
    return mosteller(height_cm, weight_kg)
