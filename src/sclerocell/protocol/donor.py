"""The MSC donor criteria (CRITERIA.md D-I1…D-I5, D-E1…D-E4) and the priority among donors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from sclerocell.criteria.age import AgeAt
from sclerocell.criteria.base import Criterion
from sclerocell.criteria.findings import Statement, TextIn
from sclerocell.criteria.logic import AllOf, AnyOf, Verdict
from sclerocell.criteria.text import Text
from sclerocell.criteria.windows import Window
from sclerocell.facts import codes
from sclerocell.protocol.common import (
    affiliated,
    contraception_if_needed,
    finding,
    not_affiliated,
    pregnancy_or_no_contraception,
)
from sclerocell.protocol.settings import ProtocolSettings

RELATIONSHIP_LABELS: dict[str, Text] = {
    "sibling": Text("fratrie", "sibling"),
    "parent": Text("parent", "parent"),
    "cousin": Text("cousin·e", "cousin"),
    "other_family": Text("autre membre de la famille", "other family member"),
    "child": Text("enfant", "child"),
    "spouse": Text("conjoint·e", "spouse"),
}


def _inclusion(s: ProtocolSettings) -> Criterion:
    inclusive = s.d_i1_bounds == "inclusive"
    lo, hi = s.d_i1_age_min_years, s.d_i1_age_max_years
    order = Text(" > ", " > ").join([RELATIONSHIP_LABELS[r] for r in s.donor_priority])
    return AllOf(
        id="donor.inclusion",
        text=Text("Critères d'inclusion (tous requis)", "Inclusion criteria (all required)"),
        members=(
            AgeAt(
                id="D-I1",
                text=Text(f"Adulte de {lo} à {hi} ans", f"Adult aged {lo} to {hi} years"),
                lower=lo,
                upper=hi,
                lower_inclusive=inclusive,
                upper_inclusive=inclusive,
                reading=s.reading(
                    "d_i1_bounds",
                    f"Bornes {'incluses' if inclusive else 'strictes'}, âge en années révolues",
                    f"{'Inclusive' if inclusive else 'Strict'} bounds, age in completed years",
                ),
            ),
            TextIn(
                id="D-I2",
                text=Text(
                    "Donneur intrafamilial (fratrie, parents, cousins ou autre membre de la "
                    "famille) "
                    "ou conjoint du receveur",
                    "Intrafamilial donor (sibling, parent, cousin or other family member) or the "
                    "recipient's spouse",
                ),
                code="donor_relationship",
                allowed=s.donor_priority,
                reading=s.reading(
                    "donor_priority",
                    "Ordre de priorité : " + order.fr,
                    "Priority order: " + order.en,
                ),
            ),
            Statement(id="D-I3", text=codes.label("informed_consent"), code="informed_consent"),
            affiliated("D-I4"),
            contraception_if_needed(
                "D-I5",
                Text(
                    "Donneuse en âge de procréer sous contraception efficace",
                    "A woman of childbearing potential uses effective contraception",
                ),
            ),
        ),
    )


def _non_inclusion(s: ProtocolSettings) -> Criterion:
    serology = Window(s.donor_serology_months)
    tests = (
        "hiv_serology",
        "htlv_serology",
        "hbs_antigen",
        "hcv_serology",
        "syphilis_serology",
        "hiv_pcr",
        "hcv_pcr",
        "hbv_pcr",
    )
    return AnyOf(
        id="donor.non_inclusion",
        text=Text(
            "Critères de non-inclusion (un seul exclut)",
            "Non-inclusion criteria (any one excludes)",
        ),
        members=(
            finding("D-E1", "xylocaine_allergy", s),
            AnyOf(
                id="D-E2",
                text=Text(
                    "Contre-indications habituelles au don de moelle ou de sang : sérologie "
                    "positive "
                    "HTLV, Ag HBs, VHC, VIH ou syphilis ; PCR positive VIH, VHC ou VHB",
                    "Usual contraindications to marrow or blood donation: positive HTLV, HBs "
                    "antigen, HCV, HIV or syphilis serology; positive HIV, HCV or HBV PCR",
                ),
                members=(
                    *(
                        finding(f"D-E2.{t}", t, s, mode="latest", window=serology, attribute=True)
                        for t in tests
                    ),
                    Statement(
                        id="D-E2.other",
                        text=codes.label("donation_contraindication_other"),
                        code="donation_contraindication_other",
                    ),
                ),
            ),
            pregnancy_or_no_contraception(
                "D-E3",
                Text(
                    "Grossesse ou absence de contraception efficace",
                    "Pregnancy, or no effective contraception",
                ),
                s,
            ),
            not_affiliated(
                "D-E4", Text("Donneur sans couverture sociale", "No social security coverage")
            ),
        ),
    )


@cache
def donor_criteria(settings: ProtocolSettings) -> Criterion:
    return Verdict(
        id="donor",
        text=Text("Donneur éligible", "Donor eligible"),
        inclusion=_inclusion(settings),
        non_inclusion=_non_inclusion(settings),
    )


@dataclass(frozen=True, slots=True)
class Candidate:
    donor_id: str
    relationship: str


@dataclass(frozen=True, slots=True)
class RankedDonor:
    rank: int
    donor_id: str
    relationship: str
    reason: Text


def rank_donors(
    candidates: Sequence[Candidate],
    settings: ProtocolSettings,
    *,
    preferred: str | None = None,
    why: str | None = None,
) -> list[RankedDonor]:
    """Candidates in the protocol's priority order (setting ``donor_priority``), ties by donor id.

    The investigator may put one donor first (``preferred``) — typically the spouse before the
    family — and must then say why; the reason is kept with the ranking.
    """
    if preferred is not None and not (why and why.strip()):
        raise ValueError("a donor chosen out of the priority order needs the reason")
    order = {r: n for n, r in enumerate(settings.donor_priority)}
    eligible = [c for c in candidates if c.relationship in order]
    eligible.sort(key=lambda c: (c.donor_id != preferred, order[c.relationship], c.donor_id))
    ranked = []
    for n, c in enumerate(eligible, start=1):
        label = RELATIONSHIP_LABELS[c.relationship]
        if c.donor_id == preferred:
            reason = Text(f"Choix de l'investigateur : {why}", f"Investigator's choice: {why}")
        else:
            reason = Text(
                f"Ordre du protocole : {label.fr} (priorité {order[c.relationship] + 1})",
                f"Protocol order: {label.en} (priority {order[c.relationship] + 1})",
            )
        ranked.append(RankedDonor(n, c.donor_id, c.relationship, reason))
    return ranked
