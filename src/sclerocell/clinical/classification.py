"""Classification criteria for systemic sclerosis: 2013 ACR/EULAR and 1980 ARA (R-I2).

Sources (DOMAIN.md §2):

- van den Hoogen F et al. 2013 classification criteria for systemic sclerosis: an American
  College of Rheumatology/European League Against Rheumatism collaborative initiative.
  Arthritis Rheum 2013;65:2737–47. Sum of the highest weight in each of 8 domains; a total ≥ 9
  classifies as SSc. Not applicable to skin thickening sparing the fingers, nor when a
  scleroderma-like disorder better explains the findings. Items count if ever present.
- Masi AT et al. Preliminary criteria for the classification of systemic sclerosis.
  Arthritis Rheum 1980;23:581–90: the major criterion (proximal scleroderma) alone, or ≥ 2 of the
  3 minor criteria (sclerodactyly; digital pitting scars or loss of substance of the finger pad;
  bibasilar pulmonary fibrosis on chest X-ray).

Every item is tri-state: ``True`` present, ``False`` absent, ``None`` unknown. The results carry
the best- and worst-case totals; the verdict is ``None`` only when the unknown items could change
it, and :meth:`explain` says which weight each domain got and why.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from sclerocell.clinical._checks import tristate
from sclerocell.clinical.errors import ClinicalInputError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = [
    "ACR_EULAR_2013_DOMAINS",
    "ACR_EULAR_2013_MAX_TOTAL",
    "ACR_EULAR_2013_THRESHOLD",
    "AcrEular2013Domain",
    "AcrEular2013Item",
    "AcrEular2013Items",
    "AcrEular2013Result",
    "Ara1980Items",
    "Ara1980Result",
    "DomainScore",
    "acr_eular_2013",
    "ara_1980",
]

ACR_EULAR_2013_THRESHOLD = 9


def _check_items(instance: DataclassInstance) -> None:
    for f in fields(instance):
        tristate(getattr(instance, f.name), f.name)


@dataclass(frozen=True)
class AcrEular2013Items:
    """The 2013 ACR/EULAR items (ever present) and the two applicability questions."""

    skin_thickening_proximal_to_mcp: bool | None = None
    puffy_fingers: bool | None = None
    sclerodactyly: bool | None = None
    digital_tip_ulcers: bool | None = None
    fingertip_pitting_scars: bool | None = None
    telangiectasia: bool | None = None
    abnormal_nailfold_capillaries: bool | None = None
    pulmonary_arterial_hypertension: bool | None = None
    interstitial_lung_disease: bool | None = None
    raynaud_phenomenon: bool | None = None
    anticentromere: bool | None = None
    anti_topoisomerase_i: bool | None = None
    anti_rna_polymerase_iii: bool | None = None
    # Applicability: the criteria do not apply when either is True.
    skin_thickening_sparing_fingers: bool | None = None
    scleroderma_like_disorder_explains: bool | None = None

    def __post_init__(self) -> None:
        _check_items(self)
        fingers_thickened = self.skin_thickening_proximal_to_mcp or self.sclerodactyly
        if fingers_thickened and self.skin_thickening_sparing_fingers:
            raise ClinicalInputError(
                "skin_thickening_sparing_fingers: contradicts the recorded thickening of the "
                "finger skin (sclerodactyly or thickening proximal to the MCP joints)",
                field="skin_thickening_sparing_fingers",
            )


@dataclass(frozen=True)
class AcrEular2013Item:
    field: str
    label: str
    weight: int


@dataclass(frozen=True)
class AcrEular2013Domain:
    id: str
    label: str
    items: tuple[AcrEular2013Item, ...]

    @property
    def max_weight(self) -> int:
        return max(item.weight for item in self.items)


def _domain(id_: str, label: str, *items: tuple[str, str, int]) -> AcrEular2013Domain:
    return AcrEular2013Domain(id_, label, tuple(AcrEular2013Item(*item) for item in items))


ACR_EULAR_2013_DOMAINS: tuple[AcrEular2013Domain, ...] = (
    _domain(
        "skin_thickening_proximal",
        "Skin thickening of the fingers of both hands extending proximal to the MCP joints",
        ("skin_thickening_proximal_to_mcp", "skin thickening proximal to the MCP joints", 9),
    ),
    _domain(
        "skin_of_fingers",
        "Skin thickening of the fingers (only the higher score counts)",
        ("puffy_fingers", "puffy fingers", 2),
        ("sclerodactyly", "sclerodactyly (distal to the MCP, proximal to the PIP joints)", 4),
    ),
    _domain(
        "fingertip_lesions",
        "Fingertip lesions (only the higher score counts)",
        ("digital_tip_ulcers", "digital tip ulcers", 2),
        ("fingertip_pitting_scars", "fingertip pitting scars", 3),
    ),
    _domain("telangiectasia", "Telangiectasia", ("telangiectasia", "telangiectasia", 2)),
    _domain(
        "nailfold_capillaries",
        "Abnormal nailfold capillaries",
        ("abnormal_nailfold_capillaries", "abnormal nailfold capillaries", 2),
    ),
    _domain(
        "pah_ild",
        "Pulmonary arterial hypertension and/or interstitial lung disease (maximum 2)",
        ("pulmonary_arterial_hypertension", "PAH on right heart catheterisation", 2),
        ("interstitial_lung_disease", "interstitial lung disease", 2),
    ),
    _domain("raynaud", "Raynaud's phenomenon", ("raynaud_phenomenon", "Raynaud's phenomenon", 3)),
    _domain(
        "autoantibodies",
        "SSc-related autoantibodies (maximum 3)",
        ("anticentromere", "anticentromere", 3),
        ("anti_topoisomerase_i", "anti-topoisomerase I (anti-Scl-70)", 3),
        ("anti_rna_polymerase_iii", "anti-RNA polymerase III", 3),
    ),
)
ACR_EULAR_2013_MAX_TOTAL = sum(d.max_weight for d in ACR_EULAR_2013_DOMAINS)  # 28


@dataclass(frozen=True)
class DomainScore:
    """The weight a domain contributes: ``weight`` counts the items known present,
    ``max_possible`` also counts the unknown ones."""

    domain: str
    label: str
    weight: int
    max_possible: int
    chosen_item: str | None
    present: tuple[str, ...]
    unknown: tuple[str, ...]
    reason: str


def _score_domain(domain: AcrEular2013Domain, items: AcrEular2013Items) -> DomainScore:
    present = [item for item in domain.items if getattr(items, item.field) is True]
    unknown = [item for item in domain.items if getattr(items, item.field) is None]
    chosen = max(present, key=lambda item: item.weight, default=None)
    weight = chosen.weight if chosen else 0
    max_possible = max([weight, *(item.weight for item in unknown)])
    if chosen is None:
        reason = "no item present"
    else:
        reason = f"{chosen.label} present ({chosen.weight})"
        others = [item.label for item in present if item is not chosen]
        if others:
            reason += f"; also present but not added: {', '.join(others)} (highest weight only)"
    could_add = [item for item in unknown if item.weight > weight]
    if could_add:
        names = ", ".join(f"{item.label} ({item.weight})" for item in could_add)
        reason += f"; unknown: {names} — could raise this domain to {max_possible}"
    return DomainScore(
        domain=domain.id,
        label=domain.label,
        weight=weight,
        max_possible=max_possible,
        chosen_item=chosen.field if chosen else None,
        present=tuple(item.field for item in present),
        unknown=tuple(item.field for item in unknown),
        reason=reason,
    )


@dataclass(frozen=True)
class AcrEular2013Result:
    """Score and verdict of the 2013 ACR/EULAR criteria."""

    domains: tuple[DomainScore, ...]
    total_min: int  # counting unknown items as absent
    total_max: int  # counting unknown items as present
    threshold: int
    reaches_threshold: bool | None
    not_applicable: bool | None
    classified: bool | None
    unknown_items: tuple[str, ...]  # unknown items and questions that could change the verdict

    @property
    def total(self) -> int | None:
        """The total when the unknown items cannot change it."""
        return self.total_min if self.total_min == self.total_max else None

    def explain(self) -> list[str]:
        lines = [f"{d.label}: {d.weight} — {d.reason}" for d in self.domains]
        total = (
            f"{self.total_min}"
            if self.total is not None
            else f"{self.total_min} to {self.total_max} depending on unknown items"
        )
        lines.append(f"Total {total} (classified as SSc when ≥ {self.threshold})")
        if self.not_applicable:
            lines.append(
                "Criteria not applicable: skin thickening spares the fingers, or a "
                "scleroderma-like disorder explains the findings"
            )
        elif self.not_applicable is None:
            lines.append("Applicability not confirmed (finger sparing / scleroderma-like disorder)")
        verdict = {True: "classified as SSc", False: "not classified", None: "undetermined"}
        lines.append(f"2013 ACR/EULAR: {verdict[self.classified]}")
        if self.classified is None and self.unknown_items:
            lines.append(f"Would be decided by: {', '.join(self.unknown_items)}")
        return lines


def acr_eular_2013(
    items: AcrEular2013Items, *, threshold: int = ACR_EULAR_2013_THRESHOLD
) -> AcrEular2013Result:
    """Score the 2013 ACR/EULAR criteria (tri-state)."""
    domains = tuple(_score_domain(d, items) for d in ACR_EULAR_2013_DOMAINS)
    total_min = sum(d.weight for d in domains)
    total_max = sum(d.max_possible for d in domains)
    reaches: bool | None = (
        True if total_min >= threshold else False if total_max < threshold else None
    )

    fingers_thickened = bool(items.skin_thickening_proximal_to_mcp or items.sclerodactyly)
    sparing = False if fingers_thickened else items.skin_thickening_sparing_fingers
    mimic = items.scleroderma_like_disorder_explains
    not_applicable: bool | None
    if sparing is True or mimic is True:
        not_applicable = True
    elif sparing is False and mimic is False:
        not_applicable = False
    else:
        not_applicable = None

    classified: bool | None
    if not_applicable is True or reaches is False:
        classified = False
    elif not_applicable is False and reaches is True:
        classified = True
    else:
        classified = None

    deciding: list[str] = []
    if classified is None:
        if reaches is None:
            deciding += [f for d in domains for f in d.unknown if _weight(f) > d.weight]
        if sparing is None:
            deciding.append("skin_thickening_sparing_fingers")
        if mimic is None:
            deciding.append("scleroderma_like_disorder_explains")
    return AcrEular2013Result(
        domains=domains,
        total_min=total_min,
        total_max=total_max,
        threshold=threshold,
        reaches_threshold=reaches,
        not_applicable=not_applicable,
        classified=classified,
        unknown_items=tuple(deciding),
    )


def _weight(field: str) -> int:
    for domain in ACR_EULAR_2013_DOMAINS:
        for item in domain.items:
            if item.field == field:
                return item.weight
    raise KeyError(field)  # pragma: no cover - fields come from the same table


@dataclass(frozen=True)
class Ara1980Items:
    """The 1980 ARA preliminary criteria."""

    proximal_scleroderma: bool | None = None  # major criterion
    sclerodactyly: bool | None = None
    digital_pitting_scars_or_pad_loss: bool | None = None
    bibasilar_pulmonary_fibrosis: bool | None = None

    def __post_init__(self) -> None:
        _check_items(self)


_ARA_MINOR = (
    ("sclerodactyly", "sclerodactyly"),
    ("digital_pitting_scars_or_pad_loss", "digital pitting scars or loss of finger-pad substance"),
    ("bibasilar_pulmonary_fibrosis", "bibasilar pulmonary fibrosis on chest X-ray"),
)


@dataclass(frozen=True)
class Ara1980Result:
    """Verdict of the 1980 ARA criteria, with the counts that led to it."""

    major: bool | None
    minor_present: tuple[str, ...]
    minor_unknown: tuple[str, ...]
    minor_required: int
    classified: bool | None
    reason: str

    def explain(self) -> list[str]:
        verdict = {True: "classified as SSc", False: "not classified", None: "undetermined"}
        return [self.reason, f"1980 ARA: {verdict[self.classified]}"]


def ara_1980(items: Ara1980Items, *, minor_required: int = 2) -> Ara1980Result:
    """Score the 1980 ARA criteria: the major criterion, or ≥ ``minor_required`` minor ones."""
    present = tuple(f for f, _ in _ARA_MINOR if getattr(items, f) is True)
    unknown = tuple(f for f, _ in _ARA_MINOR if getattr(items, f) is None)
    major = items.proximal_scleroderma
    surely = major is True or len(present) >= minor_required
    possibly = major is not False or len(present) + len(unknown) >= minor_required
    classified: bool | None = True if surely else False if not possibly else None
    labels = dict(_ARA_MINOR)
    major_text = {True: "present", False: "absent", None: "unknown"}[major]
    reason = (
        f"major criterion (proximal scleroderma) {major_text}; "
        f"{len(present)} of 3 minor criteria present"
        + (f" ({', '.join(labels[f] for f in present)})" if present else "")
        + (f", unknown: {', '.join(labels[f] for f in unknown)}" if unknown else "")
        + f"; {minor_required} minor needed without the major"
    )
    return Ara1980Result(
        major=major,
        minor_present=present,
        minor_unknown=unknown,
        minor_required=minor_required,
        classified=classified,
        reason=reason,
    )
