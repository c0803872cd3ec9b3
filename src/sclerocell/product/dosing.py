"""Dose escalation: a recipient's dose level from their inclusion rank, and the dose check.

Farge et al. (Lancet Rheumatol 2022): recipients 1–10 received 1 × 10⁶ BM-MSC/kg, recipients
11–20 received 3 × 10⁶/kg. The levels, the trial capacity and the tolerance around the target
dose are :class:`DoseSettings` so an amendment can version them.

Boundaries are inclusive: a dose exactly 10 % above or below the target is within tolerance.
Comparisons are exact on the decimal values entered (see :mod:`sclerocell.product._exact`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from sclerocell.product._exact import exact
from sclerocell.product.messages import Message, ProductInputError, positive_number


@dataclass(frozen=True, slots=True)
class DoseLevel:
    """One cohort of the escalation: inclusion ranks ``first_rank``–``last_rank`` (inclusive)."""

    level: int
    first_rank: int
    last_rank: int
    cells_per_kg: float

    def label(self) -> Message:
        dose = _sci(self.cells_per_kg)
        ranks = f"{self.first_rank}–{self.last_rank}"
        return Message(
            f"Palier {self.level} ({dose} cellules/kg, receveurs {ranks})",
            f"Level {self.level} ({dose} cells/kg, recipients {ranks})",
        )


def _default_levels() -> tuple[DoseLevel, ...]:
    return (DoseLevel(1, 1, 10, 1e6), DoseLevel(2, 11, 20, 3e6))


@dataclass(frozen=True, slots=True)
class DoseSettings:
    """Dose-escalation parameters of one protocol version."""

    version: str = "v1 (Farge 2022: 10 × 1e6/kg then 10 × 3e6/kg)"
    levels: tuple[DoseLevel, ...] = field(default_factory=_default_levels)
    capacity: int = 20
    #: Relative tolerance around the target dose per kg; inclusive at both ends.
    tolerance: float = 0.10

    def __post_init__(self) -> None:
        if not self.levels:
            raise ValueError("DoseSettings.levels: at least one dose level is required")
        expected_first = 1
        for index, level in enumerate(self.levels, start=1):
            if level.level != index:
                raise ValueError(f"DoseSettings.levels: level numbers must be 1, 2, … ({level})")
            if level.first_rank != expected_first or level.last_rank < level.first_rank:
                raise ValueError(
                    f"DoseSettings.levels: ranks must be contiguous from 1 without gaps ({level})"
                )
            if not (math.isfinite(level.cells_per_kg) and level.cells_per_kg > 0):
                raise ValueError(f"DoseSettings.levels: dose must be > 0 ({level})")
            expected_first = level.last_rank + 1
        if self.levels[-1].last_rank != self.capacity:
            raise ValueError(
                f"DoseSettings: the last level ends at rank {self.levels[-1].last_rank}, "
                f"not at the capacity {self.capacity}"
            )
        if not (0 <= self.tolerance < 1):
            raise ValueError("DoseSettings.tolerance must be in [0, 1)")


DEFAULT_DOSE_SETTINGS = DoseSettings()


@dataclass(frozen=True, slots=True)
class DoseCheck:
    """The infused dose against the cohort target."""

    cells_infused: int
    weight_kg: float
    dose_per_kg: float
    target_per_kg: float
    #: (dose − target) / target, e.g. ``0.1`` for 10 % above the target.
    relative_deviation: float
    tolerance: float
    within_tolerance: bool
    message: Message

    @property
    def flagged(self) -> bool:
        """True when the dose is outside the tolerance and needs a deviation report."""
        return not self.within_tolerance


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _sci(value: float) -> str:
    mantissa, exponent = f"{value:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def _rank(rank: object, settings: DoseSettings) -> int:
    if isinstance(rank, bool) or not isinstance(rank, int):
        raise ProductInputError(
            Message(
                "Le rang d'inclusion doit être un entier.", "The inclusion rank must be an integer."
            ),
            field="rank",
        )
    if not 1 <= rank <= settings.capacity:
        raise ProductInputError(
            Message(
                f"Rang d'inclusion {rank} hors de 1–{settings.capacity} (capacité de l'essai).",
                f"Inclusion rank {rank} outside 1–{settings.capacity} (trial capacity).",
            ),
            field="rank",
        )
    return rank


def dose_level(rank: int, settings: DoseSettings = DEFAULT_DOSE_SETTINGS) -> DoseLevel:
    """The dose level of the recipient included at ``rank`` (1-based order of inclusion)."""
    checked = _rank(rank, settings)
    for level in settings.levels:
        if level.first_rank <= checked <= level.last_rank:
            return level
    raise AssertionError("unreachable: DoseSettings validates contiguous ranks")  # pragma: no cover


def _cells(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProductInputError(
            Message(
                "Le nombre de cellules doit être un entier.",
                "The number of cells must be an integer.",
            ),
            field=field,
        )
    if value <= 0:
        raise ProductInputError(
            Message("Le nombre de cellules doit être > 0.", "The number of cells must be > 0."),
            field=field,
        )
    return value


def dose_per_kg(cells_infused: int, weight_kg: float) -> float:
    """Cells infused per kg of body weight."""
    cells = _cells(cells_infused, "cells_infused")
    weight = positive_number(weight_kg, "weight_kg")
    return float(exact(cells) / exact(weight))


def cells_needed(weight_kg: float, level: DoseLevel) -> int:
    """Total cells to prepare for a recipient of ``weight_kg`` at ``level`` (rounded to a cell)."""
    weight = positive_number(weight_kg, "weight_kg")
    return round(exact(weight) * exact(level.cells_per_kg))


def acceptable_cells(
    weight_kg: float, level: DoseLevel, settings: DoseSettings = DEFAULT_DOSE_SETTINGS
) -> tuple[int, int]:
    """The smallest and largest whole numbers of cells within tolerance, inclusive."""
    weight = positive_number(weight_kg, "weight_kg")
    target = exact(weight) * exact(level.cells_per_kg)
    tolerance = exact(settings.tolerance)
    return math.ceil(target * (1 - tolerance)), math.floor(target * (1 + tolerance))


def check_dose(
    cells_infused: int,
    weight_kg: float,
    level: DoseLevel,
    settings: DoseSettings = DEFAULT_DOSE_SETTINGS,
) -> DoseCheck:
    """Compare the infused dose per kg to the cohort target; flagged outside ±tolerance."""
    cells = _cells(cells_infused, "cells_infused")
    weight = positive_number(weight_kg, "weight_kg")
    target = exact(level.cells_per_kg)
    dose: Fraction = exact(cells) / exact(weight)
    deviation = (dose - target) / target
    within = abs(deviation) <= exact(settings.tolerance)
    pct = f"{float(deviation) * 100:+.1f} %"
    tol = f"±{settings.tolerance * 100:g} %"
    dose_txt, target_txt = _sci(float(dose)), _sci(level.cells_per_kg)
    if within:
        message = Message(
            f"Dose {dose_txt}/kg, écart {pct} à la cible {target_txt}/kg (tolérance {tol}).",
            f"Dose {dose_txt}/kg, {pct} from the target {target_txt}/kg (tolerance {tol}).",
        )
    else:
        message = Message(
            f"Dose hors tolérance : {dose_txt}/kg, écart {pct} à la cible {target_txt}/kg "
            f"(tolérance {tol}).",
            f"Dose outside tolerance: {dose_txt}/kg, {pct} from the target {target_txt}/kg "
            f"(tolerance {tol}).",
        )
    return DoseCheck(
        cells_infused=cells,
        weight_kg=weight,
        dose_per_kg=float(dose),
        target_per_kg=level.cells_per_kg,
        relative_deviation=float(deviation),
        tolerance=settings.tolerance,
        within_tolerance=within,
        message=message,
    )
