"""Donor ranking by family priority, and the reason required to skip the top rank."""

from __future__ import annotations

import pytest

from sclerocell.product.donors import (
    DonorCandidate,
    DonorPrioritySettings,
    Relationship,
    choose_donor,
    rank_donors,
)
from sclerocell.product.messages import ProductInputError

SPOUSE = DonorCandidate("01-D001-1", Relationship.SPOUSE, eligible=True)
COUSIN = DonorCandidate("01-D002-2", Relationship.COUSIN, eligible=True)
PARENT = DonorCandidate("01-D003-3", Relationship.PARENT, eligible=True)
SISTER = DonorCandidate("01-D004-4", Relationship.SIBLING, eligible=True)
BROTHER_INELIGIBLE = DonorCandidate("01-D005-5", Relationship.SIBLING, eligible=False)
AUNT = DonorCandidate("01-D006-6", Relationship.OTHER_FAMILY, eligible=True)
CANDIDATES = [SPOUSE, COUSIN, PARENT, SISTER, BROTHER_INELIGIBLE, AUNT]


def test_it_ranks_siblings_then_parents_then_other_family_then_the_spouse() -> None:
    ranking = rank_donors(CANDIDATES)
    assert [(r.candidate, r.priority) for r in ranking] == [
        (SISTER, 1),
        (PARENT, 2),
        (COUSIN, 3),
        (AUNT, 3),
        (SPOUSE, 4),
    ]


def test_it_ranks_only_eligible_candidates() -> None:
    assert BROTHER_INELIGIBLE not in [r.candidate for r in rank_donors(CANDIDATES)]


def test_choosing_the_top_ranked_donor_needs_no_reason() -> None:
    choice = choose_donor(CANDIDATES, SISTER.code)
    assert choice.accepted and choice.top_ranked
    assert not choice.reason_required and not choice.reason_missing


def test_choosing_a_lower_ranked_donor_without_a_reason_is_refused() -> None:
    choice = choose_donor(CANDIDATES, SPOUSE.code, reason="  ")
    assert not choice.accepted
    assert choice.reason_required and choice.reason_missing
    assert "a reason is required" in choice.message.en
    assert "01-D004-4 (fratrie)" in choice.message.fr


def test_choosing_a_lower_ranked_donor_with_a_reason_is_accepted() -> None:
    choice = choose_donor(CANDIDATES, SPOUSE.code, reason="Sœur non joignable")
    assert choice.accepted and choice.reason_required and not choice.reason_missing
    assert choice.reason == "Sœur non joignable"


def test_candidates_of_the_same_tier_share_the_top_rank() -> None:
    choice = choose_donor([COUSIN, AUNT, SPOUSE], AUNT.code)
    assert choice.accepted and choice.top_ranked


def test_the_spouse_is_top_ranked_when_no_family_member_is_eligible() -> None:
    choice = choose_donor([BROTHER_INELIGIBLE, SPOUSE], SPOUSE.code)
    assert choice.accepted and choice.top_ranked


def test_it_refuses_an_ineligible_donor() -> None:
    choice = choose_donor(CANDIDATES, BROTHER_INELIGIBLE.code, reason="préférence")
    assert not choice.accepted
    assert "not eligible" in choice.message.en


def test_it_refuses_a_donor_who_is_not_a_candidate() -> None:
    with pytest.raises(ProductInputError) as error:
        choose_donor(CANDIDATES, "01-D999-9")
    assert error.value.field == "chosen_code"


def test_the_priority_order_is_a_setting() -> None:
    settings = DonorPrioritySettings(
        tiers=(
            frozenset({Relationship.SIBLING}),
            frozenset({Relationship.PARENT, Relationship.SPOUSE}),
            frozenset({Relationship.COUSIN, Relationship.OTHER_FAMILY}),
        )
    )
    assert [r.candidate for r in rank_donors([COUSIN, SPOUSE], settings)] == [SPOUSE, COUSIN]
    with pytest.raises(ValueError, match="exactly one tier"):
        DonorPrioritySettings(tiers=(frozenset({Relationship.SIBLING}),))
