"""Choosing the MSC donor among the recipient's candidates, by the protocol's family priority.

CRITERIA.md D-I2: siblings, then parents, then cousins or other family members; the spouse is
eligible too and ranks after the family members unless the investigator decides otherwise and
records why. Only eligible candidates (every donor criterion met, decided by the criteria engine)
are ranked. Candidates of the same priority tier share the rank: choosing any of them needs no
reason. Choosing a candidate of a lower tier requires a recorded reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from sclerocell.product.messages import Message, ProductInputError


class Relationship(StrEnum):
    SIBLING = "sibling"
    PARENT = "parent"
    COUSIN = "cousin"
    OTHER_FAMILY = "other_family"
    SPOUSE = "spouse"


_RELATIONSHIP_NAMES: dict[Relationship, Message] = {
    Relationship.SIBLING: Message("fratrie", "sibling"),
    Relationship.PARENT: Message("parent", "parent"),
    Relationship.COUSIN: Message("cousin(e)", "cousin"),
    Relationship.OTHER_FAMILY: Message("autre membre de la famille", "other family member"),
    Relationship.SPOUSE: Message("conjoint(e)", "spouse"),
}


def relationship_name(relationship: Relationship) -> Message:
    return _RELATIONSHIP_NAMES[relationship]


def _default_tiers() -> tuple[frozenset[Relationship], ...]:
    return (
        frozenset({Relationship.SIBLING}),
        frozenset({Relationship.PARENT}),
        frozenset({Relationship.COUSIN, Relationship.OTHER_FAMILY}),
        frozenset({Relationship.SPOUSE}),
    )


@dataclass(frozen=True, slots=True)
class DonorPrioritySettings:
    """Priority tiers, highest first; every relationship appears in exactly one tier."""

    version: str = "v1 (synopsis: fratrie, parents, cousins ou autre membre, conjoint)"
    tiers: tuple[frozenset[Relationship], ...] = field(default_factory=_default_tiers)

    def __post_init__(self) -> None:
        seen: list[Relationship] = [r for tier in self.tiers for r in tier]
        if sorted(seen) != sorted(Relationship) or any(not tier for tier in self.tiers):
            raise ValueError(
                "DonorPrioritySettings.tiers must place every relationship in exactly one tier"
            )

    def priority(self, relationship: Relationship) -> int:
        """1 for the highest tier."""
        for index, tier in enumerate(self.tiers, start=1):
            if relationship in tier:
                return index
        raise AssertionError("unreachable: validated in __post_init__")  # pragma: no cover


DEFAULT_DONOR_PRIORITY = DonorPrioritySettings()


@dataclass(frozen=True, slots=True)
class DonorCandidate:
    """A candidate donor; ``eligible`` is True only when every donor criterion is met."""

    code: str
    relationship: Relationship
    eligible: bool


@dataclass(frozen=True, slots=True)
class RankedDonor:
    candidate: DonorCandidate
    #: Priority tier, 1 = highest; candidates of the same tier share it.
    priority: int


@dataclass(frozen=True, slots=True)
class DonorChoice:
    chosen: DonorCandidate
    ranking: tuple[RankedDonor, ...]
    #: True when the chosen donor is in the highest tier among eligible candidates.
    top_ranked: bool
    reason_required: bool
    reason: str | None
    accepted: bool
    message: Message

    @property
    def reason_missing(self) -> bool:
        return self.reason_required and self.reason is None


def rank_donors(
    candidates: Iterable[DonorCandidate],
    settings: DonorPrioritySettings = DEFAULT_DONOR_PRIORITY,
) -> tuple[RankedDonor, ...]:
    """Eligible candidates by priority tier; input order is kept within a tier."""
    eligible = [c for c in candidates if c.eligible]
    ranked = [RankedDonor(c, settings.priority(c.relationship)) for c in eligible]
    return tuple(sorted(ranked, key=lambda r: r.priority))


def choose_donor(
    candidates: Iterable[DonorCandidate],
    chosen_code: str,
    reason: str | None = None,
    settings: DonorPrioritySettings = DEFAULT_DONOR_PRIORITY,
) -> DonorChoice:
    """Decide whether ``chosen_code`` may be the donor, and whether a reason must be recorded.

    Not accepted when the chosen candidate is not eligible, or is below the top tier without a
    reason. Raises :class:`ProductInputError` when the code is not among the candidates or two
    candidates share a code.
    """
    pool = list(candidates)
    codes = [c.code for c in pool]
    if len(set(codes)) != len(codes):
        raise ProductInputError(
            Message("Deux candidats ont le même code.", "Two candidates share a code."),
            field="candidates",
        )
    matches = [c for c in pool if c.code == chosen_code]
    if not matches:
        raise ProductInputError(
            Message(
                f"{chosen_code!r} ne figure pas parmi les donneurs candidats.",
                f"{chosen_code!r} is not among the candidate donors.",
            ),
            field="chosen_code",
        )
    chosen = matches[0]
    ranking = rank_donors(pool, settings)
    recorded = reason.strip() if reason and reason.strip() else None
    who = relationship_name(chosen.relationship)
    if not chosen.eligible:
        return DonorChoice(
            chosen,
            ranking,
            top_ranked=False,
            reason_required=False,
            reason=recorded,
            accepted=False,
            message=Message(
                f"Le donneur {chosen.code} ({who.fr}) n'est pas éligible.",
                f"Donor {chosen.code} ({who.en}) is not eligible.",
            ),
        )
    top_priority = ranking[0].priority
    own_priority = settings.priority(chosen.relationship)
    top = own_priority == top_priority
    if top:
        return DonorChoice(
            chosen,
            ranking,
            top_ranked=True,
            reason_required=False,
            reason=recorded,
            accepted=True,
            message=Message(
                f"Donneur {chosen.code} ({who.fr}) : premier rang de priorité disponible.",
                f"Donor {chosen.code} ({who.en}): highest available priority.",
            ),
        )
    better = [r.candidate for r in ranking if r.priority < own_priority]
    better_fr = ", ".join(f"{c.code} ({relationship_name(c.relationship).fr})" for c in better)
    better_en = ", ".join(f"{c.code} ({relationship_name(c.relationship).en})" for c in better)
    if recorded is None:
        return DonorChoice(
            chosen,
            ranking,
            top_ranked=False,
            reason_required=True,
            reason=None,
            accepted=False,
            message=Message(
                f"Donneur {chosen.code} ({who.fr}) choisi avant {better_fr} : motif obligatoire.",
                f"Donor {chosen.code} ({who.en}) chosen over {better_en}: a reason is required.",
            ),
        )
    return DonorChoice(
        chosen,
        ranking,
        top_ranked=False,
        reason_required=True,
        reason=recorded,
        accepted=True,
        message=Message(
            f"Donneur {chosen.code} ({who.fr}) choisi avant {better_fr}. Motif : {recorded}",
            f"Donor {chosen.code} ({who.en}) chosen over {better_en}. Reason: {recorded}",
        ),
    )
