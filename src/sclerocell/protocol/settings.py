"""The protocol settings: one named setting for every reading CRITERIA.md leaves open, and the
windows the synopsis does not give. The protocol's identity is its version plus the hash of its
settings ("MSC-SSc protocol v1 + settings 3f2a…"); every evaluation records both.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal, get_args, get_type_hints

from sclerocell.criteria.text import Text

PROTOCOL = "MSC-SSc"
PROTOCOL_VERSION = "1"

Bounds = Literal["strict", "inclusive"]
LeOrLt = Literal["le", "lt"]
GeOrGt = Literal["ge", "gt"]


class SettingsError(ValueError):
    """A setting is unknown or has a value outside its choices."""


@dataclass(frozen=True, kw_only=True)
class ProtocolSettings:
    # R-I1 — "âge > 18 ans et < 70 ans": strict bounds as written; the publication says 18–70.
    r_i1_age_min_years: int = 18
    r_i1_age_max_years: int = 70
    r_i1_bounds: Bounds = "strict"
    # R-V1a — the sign before "70 %" is lost in the synopsis.
    r_v1a_fvc_comparison: LeOrLt = "le"
    # R-V1b — relative fall (baseline − current) / baseline, or absolute % predicted points.
    r_v1b_change: Literal["relative", "absolute"] = "relative"
    # R-V3 — the sign before "160 mm Hg" is lost in the synopsis.
    r_v3_sbp_comparison: GeOrGt = "ge"
    # R-V3 — "recent renal insufficiency": the synopsis's "rise of creatinine clearance above
    # normal" is inverted; read as serum creatinine above the ULN within the last 6 months (any
    # value), or only the latest value in those 6 months.
    r_v3_recent_renal_insufficiency: Literal[
        "any_creatinine_above_uln", "latest_creatinine_above_uln"
    ] = "any_creatinine_above_uln"
    # R-E2a — "PaO2 < 8 kPa (< 60 mmHg)", "PaCO2 > 6.7 kPa (> 50 mmHg)": which pair is literal.
    r_e2a_blood_gas_thresholds: Literal["kpa", "mmhg"] = "kpa"
    # R-E2a — mPAP > 25 mmHg "after right heart catheterisation": without a catheterisation the
    # item is unknown (default), or not met (catheterisation is done only when echo suggests PAH).
    r_e2a_mpap_without_catheterisation: Literal["unknown", "not_met"] = "unknown"
    # R-E2b — "< 20 mL/min/m²": Cockcroft–Gault indexed to 1.73 m² (Mosteller), or literally per m².
    r_e2b_clearance: Literal["indexed_1_73_m2", "per_m2"] = "indexed_1_73_m2"
    # R-E2d — "persistent rise to 3 × ULN": ≥ 3 × ULN on ≥ 2 measurements, the latest included;
    # or the latest measurement alone.
    r_e2d_reading: Literal["two_measurements", "latest_only"] = "two_measurements"
    r_e2d_comparison: GeOrGt = "ge"
    # D-I1 — "adulte de 18 ans à 65 ans": inclusive bounds.
    d_i1_age_min_years: int = 18
    d_i1_age_max_years: int = 65
    d_i1_bounds: Bounds = "inclusive"
    # D-I2 — priority when several donors are available (the spouse after the family members
    # unless the investigator decides otherwise and records why).
    donor_priority: tuple[str, ...] = (
        "sibling",
        "parent",
        "cousin",
        "other_family",
        "child",
        "spouse",
    )
    # Windows (months before the index date) the synopsis does not give.
    recent_months: int = 3  # labs, PFT, blood gases, mRSS at screening, weight
    cardiopulmonary_months: int = 12  # echo sPAP, LVEF, right heart catheterisation
    blood_pressure_months: int = 3  # R-V3 repeated readings
    liver_tests_months: int = 3  # R-E2d
    pregnancy_test_months: int = 1  # R-E1, D-E3
    donor_serology_months: int = 3  # D-E2
    height_months: int = 24  # BSA for R-E2b
    # Findings never recorded: unknown (default), or read as absent (e.g. warehouse screens where
    # a missing record usually means absence).
    unrecorded_findings: Literal["unknown", "absent"] = "unknown"

    def __post_init__(self) -> None:
        hints = get_type_hints(type(self))
        for f in fields(self):
            value = getattr(self, f.name)
            choices = get_args(hints[f.name])
            if choices and all(isinstance(c, str) for c in choices) and value not in choices:
                raise SettingsError(f"{f.name}={value!r}: expected one of {list(choices)}")
            if hints[f.name] is int and (not isinstance(value, int) or value < 0):
                raise SettingsError(f"{f.name}={value!r}: expected a non-negative integer")
        if not set(self.donor_priority) <= {
            "sibling",
            "parent",
            "cousin",
            "other_family",
            "child",
            "spouse",
        }:
            raise SettingsError(f"donor_priority={self.donor_priority!r}: unknown relationship")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> ProtocolSettings:
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        prepared = dict(values)
        if "donor_priority" in prepared:
            prepared["donor_priority"] = tuple(prepared["donor_priority"])
        return cls(**prepared)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["donor_priority"] = list(self.donor_priority)
        return data

    @property
    def hash(self) -> str:
        canonical = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]

    @property
    def version(self) -> str:
        return f"{PROTOCOL} protocol v{PROTOCOL_VERSION} + settings {self.hash}"

    def reading(self, name: str, fr: str, en: str) -> Text:
        """The reading a leaf applies, naming the setting and its value."""
        value = getattr(self, name)
        shown = ", ".join(value) if isinstance(value, tuple) else str(value)
        return Text(f"{fr} (réglage {name} = {shown})", f"{en} (setting {name} = {shown})")


DEFAULT = ProtocolSettings()
