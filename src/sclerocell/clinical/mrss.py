"""Modified Rodnan skin score (mRSS): 17 body sites, each 0–3, total 0–51, and its change.

Sources (DOMAIN.md §3):

- Khanna D et al. Standardization of the modified Rodnan skin score for use in clinical trials of
  systemic sclerosis. J Scleroderma Relat Disord 2017;2:11–18 — the 17 sites, each scored
  0 normal · 1 mild · 2 moderate · 3 severe thickening.
- Minimal important change: 3.2–5.3 points (Khanna D et al. Ann Rheum Dis 2006;65:1325);
  5 points (about 24 %) in diffuse SSc (Khanna D et al. Arthritis Res Ther 2019). Default 5.
- EUSTAR skin improvement: a fall of > 5 points **and** ≥ 25 % (Dobrota R et al. Rheumatology
  2016). The same thresholds read upwards give Dobrota's progression of skin thickening.

A score with any site missing has no total (``None``) and names the missing sites.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sclerocell.clinical._checks import number
from sclerocell.clinical.errors import ClinicalInputError

__all__ = [
    "MAX_SITE_SCORE",
    "MAX_TOTAL",
    "SITES",
    "SITE_IDS",
    "MrssChange",
    "MrssScore",
    "MrssSite",
    "change",
    "get_site",
    "score",
]

MAX_SITE_SCORE = 3


@dataclass(frozen=True)
class MrssSite:
    """One of the 17 sites; ``id`` is stable (stored, exported, audited)."""

    id: str
    label_en: str
    label_fr: str
    side: str | None  # "right", "left" or None for the midline sites


def _paired(region: str, en: str, fr_right: str, fr_left: str) -> tuple[MrssSite, MrssSite]:
    return (
        MrssSite(f"right_{region}", f"Right {en}", fr_right, "right"),
        MrssSite(f"left_{region}", f"Left {en}", fr_left, "left"),
    )


SITES: tuple[MrssSite, ...] = (
    MrssSite("face", "Face", "Visage", None),
    MrssSite("anterior_chest", "Anterior chest", "Face antérieure du thorax", None),
    MrssSite("abdomen", "Abdomen", "Abdomen", None),
    *_paired("fingers", "fingers", "Doigts droits", "Doigts gauches"),
    *_paired("hand_dorsum", "dorsum of hand", "Dos de la main droite", "Dos de la main gauche"),
    *_paired("forearm", "forearm", "Avant-bras droit", "Avant-bras gauche"),
    *_paired("upper_arm", "upper arm", "Bras droit", "Bras gauche"),
    *_paired("thigh", "thigh", "Cuisse droite", "Cuisse gauche"),
    *_paired("lower_leg", "lower leg", "Jambe droite", "Jambe gauche"),
    *_paired("foot_dorsum", "dorsum of foot", "Dos du pied droit", "Dos du pied gauche"),
)
SITE_IDS: tuple[str, ...] = tuple(site.id for site in SITES)
MAX_TOTAL = MAX_SITE_SCORE * len(SITES)  # 51

_BY_ID: Mapping[str, MrssSite] = MappingProxyType({site.id: site for site in SITES})


def get_site(site_id: str) -> MrssSite:
    """The site with this id; :class:`ClinicalInputError` for an unknown id."""
    if site_id not in _BY_ID:
        raise ClinicalInputError(
            f"mRSS: unknown site {site_id!r}; expected one of {', '.join(SITE_IDS)}",
            field=str(site_id),
        )
    return _BY_ID[site_id]


def _site_score(site_id: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ClinicalInputError(
            f"mRSS {site_id}: {value!r} is not a whole number from 0 to {MAX_SITE_SCORE}",
            field=site_id,
        )
    if not 0 <= value <= MAX_SITE_SCORE:
        raise ClinicalInputError(
            f"mRSS {site_id}: {value} is out of range (0 to {MAX_SITE_SCORE})", field=site_id
        )
    return value


@dataclass(frozen=True)
class MrssScore:
    """The 17 site scores (``None`` = not recorded), the total and the missing sites."""

    site_scores: Mapping[str, int | None]
    total: int | None
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def recorded_sum(self) -> int:
        """Sum over the recorded sites only — a lower bound, not an mRSS total."""
        return sum(v for v in self.site_scores.values() if v is not None)

    def explain(self) -> str:
        if self.total is not None:
            return f"mRSS {self.total}/{MAX_TOTAL} (17 sites recorded)"
        return (
            f"mRSS not computable: {len(self.missing)} site(s) missing "
            f"({', '.join(self.missing)}); recorded sites sum to {self.recorded_sum}"
        )


def score(site_scores: Mapping[str, int | None]) -> MrssScore:
    """Validate the site scores and total them.

    Keys are :data:`SITE_IDS`; a site absent or ``None`` is missing. An unknown site or a score
    outside 0–3 raises :class:`ClinicalInputError` naming the site.
    """
    for site_id in site_scores:
        get_site(site_id)
    scores = {sid: _site_score(sid, site_scores.get(sid)) for sid in SITE_IDS}
    missing = tuple(sid for sid, value in scores.items() if value is None)
    total = None if missing else sum(v for v in scores.values() if v is not None)
    return MrssScore(site_scores=MappingProxyType(scores), total=total, missing=missing)


@dataclass(frozen=True)
class MrssChange:
    """Change from baseline to follow-up; negative ``points`` is an improvement."""

    baseline: int
    follow_up: int
    points: int  # follow-up − baseline
    percent: float | None  # points / baseline × 100; None when the baseline is 0
    minimal_important_improvement: bool  # fall ≥ mic_points
    minimal_important_worsening: bool  # rise ≥ mic_points
    eustar_improved: bool  # fall > eustar_points and ≥ eustar_percent
    eustar_progressed: bool  # rise > eustar_points and ≥ eustar_percent
    mic_points: float
    eustar_points: float
    eustar_percent: float

    def explain(self) -> str:
        percent = "n/a" if self.percent is None else f"{self.percent:+.1f} %"
        mic = f"(≥ {self.mic_points:g} points)"
        flags = [
            name
            for name, on in (
                (f"minimal important improvement {mic}", self.minimal_important_improvement),
                (f"minimal important worsening {mic}", self.minimal_important_worsening),
                ("EUSTAR skin improvement", self.eustar_improved),
                ("EUSTAR skin progression", self.eustar_progressed),
            )
            if on
        ]
        return f"mRSS {self.baseline} → {self.follow_up}: {self.points:+d} points, {percent}" + (
            f" — {'; '.join(flags)}" if flags else ""
        )


def _total(value: int | MrssScore | None, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, MrssScore):
        return value.total
    if isinstance(value, bool) or not isinstance(value, int):
        raise ClinicalInputError(f"{field}: {value!r} is not a whole mRSS total", field=field)
    if not 0 <= value <= MAX_TOTAL:
        message = f"{field}: {value} is out of range (0 to {MAX_TOTAL})"
        raise ClinicalInputError(message, field=field)
    return value


def change(
    baseline: int | MrssScore | None,
    follow_up: int | MrssScore | None,
    *,
    mic_points: float = 5.0,
    eustar_points: float = 5.0,
    eustar_percent: float = 25.0,
) -> MrssChange | None:
    """Change between two totals (or scores); ``None`` when either total is unknown.

    Thresholds are parameters: the minimal important change (default 5 points, "≥"), and the
    EUSTAR definition (> ``eustar_points`` **and** ≥ ``eustar_percent`` of the baseline). From a
    baseline of 0 any rise counts as ≥ ``eustar_percent``.
    """
    start = _total(baseline, "baseline")
    end = _total(follow_up, "follow_up")
    mic = number(mic_points, "mic_points", minimum=0, strict_minimum=True)
    e_points = number(eustar_points, "eustar_points", minimum=0)
    e_percent = number(eustar_percent, "eustar_percent", minimum=0)
    if start is None or end is None:
        return None
    points = end - start
    percent = None if start == 0 else points * 100.0 / start
    big_percent_fall = percent is not None and -percent >= e_percent
    big_percent_rise = percent is None or percent >= e_percent
    return MrssChange(
        baseline=start,
        follow_up=end,
        points=points,
        percent=percent,
        minimal_important_improvement=-points >= mic,
        minimal_important_worsening=points >= mic,
        eustar_improved=-points > e_points and big_percent_fall,
        eustar_progressed=points > e_points and big_percent_rise,
        mic_points=mic,
        eustar_points=e_points,
        eustar_percent=e_percent,
    )
