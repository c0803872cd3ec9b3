"""Change in a pulmonary function test value (FVC, TLC, DLCO in % of predicted).

DOMAIN.md §6: absolute change = current − baseline (percentage points of predicted);
relative change = (current − baseline) / baseline. 80 → 72 % predicted is −8 points and −10 %.
The protocol's PFT decline (R-V1b, CRITERIA.md) is read as a relative fall by default, with the
absolute reading as a setting: :meth:`PftChange.decline` gives either.

Pressure conversions (kPa ↔ mmHg) live in :mod:`sclerocell.clinical.units`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sclerocell.clinical._checks import choice, number

__all__ = ["ChangeMode", "PftChange", "pft_change"]


class ChangeMode(StrEnum):
    """How a change in % predicted is measured."""

    RELATIVE = "relative"  # % of the baseline value
    ABSOLUTE = "absolute"  # percentage points of predicted


@dataclass(frozen=True)
class PftChange:
    """Baseline and current values (% predicted) and the change between them."""

    baseline: float
    current: float
    absolute_points: float
    relative_percent: float | None  # None when the baseline is 0 (no relative change exists)

    @property
    def relative_fraction(self) -> float | None:
        return None if self.relative_percent is None else self.relative_percent / 100.0

    def decline(self, mode: ChangeMode | str = ChangeMode.RELATIVE) -> float | None:
        """The fall, as a positive number (a rise gives a negative one), in % or in points."""
        if choice(ChangeMode, mode, "mode") is ChangeMode.ABSOLUTE:
            return -self.absolute_points
        return None if self.relative_percent is None else -self.relative_percent

    def explain(self) -> str:
        relative = "n/a" if self.relative_percent is None else f"{self.relative_percent:+.1f} %"
        return (
            f"{self.baseline:g} → {self.current:g} % predicted: "
            f"{self.absolute_points:+g} points, {relative} relative"
        )


def pft_change(baseline: float, current: float) -> PftChange:
    """Absolute (points) and relative (%) change from ``baseline`` to ``current``."""
    start = number(baseline, "baseline", minimum=0)
    end = number(current, "current", minimum=0)
    relative = None if start == 0 else (end - start) * 100.0 / start
    return PftChange(
        baseline=start, current=end, absolute_points=end - start, relative_percent=relative
    )
