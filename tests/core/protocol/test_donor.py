"""Donor criteria D-I1…D-I5, D-E1…D-E4, and the priority among donors."""

from __future__ import annotations

import datetime as dt

import pytest

from sclerocell.criteria.status import Status
from sclerocell.facts.schema import Fact
from sclerocell.protocol.donor import Candidate, rank_donors
from sclerocell.protocol.screen import screen
from sclerocell.protocol.settings import ProtocolSettings

from .build import D, days, donor, fact, replace, status

M, N, U, A = Status.MET, Status.NOT_MET, Status.UNKNOWN, Status.NOT_ASSESSABLE


def born(year: int, month: int) -> Fact:
    return fact("birth_month", dt.date(year, month, 1), text=f"{year}-{month:02d}")


def test_it_finds_the_example_donor_eligible() -> None:
    result = screen("donor", donor(), D)
    assert result.verdict is M
    assert [c.id for c in result.result.children] == ["donor.inclusion", "donor.non_inclusion"]


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [(2006, 4, M), (2006, 6, N), (2006, 5, U), (1959, 4, M), (1958, 4, N), (1958, 5, U)],
    ids=["18y", "17y", "17or18", "65y", "66y", "65or66"],
)
def test_it_reads_d_i1_with_inclusive_bounds(year: int, month: int, expected: Status) -> None:
    assert status("donor", replace(donor(), born(year, month)), "D-I1") is expected


def test_it_reads_d_i1_with_strict_bounds_as_a_setting() -> None:
    strict = ProtocolSettings(d_i1_bounds="strict")
    assert status("donor", replace(donor(), born(2006, 4)), "D-I1", strict) is N


@pytest.mark.parametrize(
    ("relationship", "expected"),
    [
        ("sibling", M),
        ("parent", M),
        ("cousin", M),
        ("other_family", M),
        ("spouse", M),
        ("unrelated", N),
    ],
)
def test_it_accepts_family_donors_and_the_spouse(relationship: str, expected: Status) -> None:
    facts = replace(donor(), fact("donor_relationship", None, text=relationship))
    assert status("donor", facts, "D-I2") is expected


def test_it_takes_the_accepted_relationships_from_the_priority_setting() -> None:
    facts = replace(donor(), fact("donor_relationship", None, text="spouse"))
    family_only = ProtocolSettings(donor_priority=("sibling", "parent"))
    assert status("donor", facts, "D-I2", family_only) is N
    assert status("donor", replace(donor(), drop=("donor_relationship",)), "D-I2") is U


def test_it_waits_for_the_signed_consent() -> None:
    assert status("donor", replace(donor(), drop=("informed_consent",)), "D-I3") is A
    assert status("donor", replace(donor(), fact("informed_consent", D, 0)), "D-I3") is N


def test_it_requires_social_security() -> None:
    facts = replace(donor(), fact("social_security", None, 0))
    assert status("donor", facts, "D-I4") is N
    assert status("donor", facts, "D-E4") is M


def test_it_requires_contraception_from_a_woman_of_childbearing_potential() -> None:
    woman = replace(
        donor(),
        fact("sex", None, text="F"),
        fact("childbearing_potential", None, 1),
        fact("effective_contraception", None, 0),
        fact("pregnancy", days(5), 0),
    )
    assert status("donor", woman, "D-I5") is N
    assert status("donor", woman, "D-E3") is M
    protected = replace(woman, fact("effective_contraception", None, 1))
    assert status("donor", protected, "D-I5") is M
    assert status("donor", protected, "D-E3") is N
    assert status("donor", replace(protected, fact("pregnancy", days(5), 1)), "D-E3") is M


def test_it_excludes_an_allergy_to_xylocaine() -> None:
    assert status("donor", replace(donor(), fact("xylocaine_allergy", None, 1)), "D-E1") is M
    assert status("donor", replace(donor(), drop=("xylocaine_allergy",)), "D-E1") is U


@pytest.mark.parametrize(
    "code",
    [
        "hiv_serology",
        "htlv_serology",
        "hbs_antigen",
        "hcv_serology",
        "syphilis_serology",
        "hiv_pcr",
        "hcv_pcr",
        "hbv_pcr",
    ],
)
def test_it_excludes_each_positive_donation_test(code: str) -> None:
    assert status("donor", replace(donor(), fact(code, days(10), 1)), "D-E2") is M


def test_it_needs_donation_tests_from_the_last_three_months() -> None:
    outside = dt.date(2024, 2, 14)  # the window starts on 2024-02-15
    assert status("donor", replace(donor(), fact("hiv_serology", outside, 0)), "D-E2") is U
    assert (
        status("donor", replace(donor(), fact("hiv_serology", dt.date(2024, 2, 15), 0)), "D-E2")
        is N
    )


def test_it_asks_the_investigator_about_other_donation_contraindications() -> None:
    assert status("donor", replace(donor(), drop=("donation_contraindication_other",)), "D-E2") is A


def test_it_ranks_siblings_then_parents_then_other_family_then_the_spouse() -> None:
    candidates = [
        Candidate("D-4", "spouse"),
        Candidate("D-3", "cousin"),
        Candidate("D-2", "parent"),
        Candidate("D-1", "sibling"),
        Candidate("D-9", "unrelated"),
    ]
    ranked = rank_donors(candidates, ProtocolSettings())
    assert [r.donor_id for r in ranked] == ["D-1", "D-2", "D-3", "D-4"]
    assert ranked[0].reason.en == "Protocol order: sibling (priority 1)"


def test_it_records_why_the_investigator_ranks_a_donor_first() -> None:
    candidates = [Candidate("D-1", "sibling"), Candidate("D-4", "spouse")]
    ranked = rank_donors(candidates, ProtocolSettings(), preferred="D-4", why="sibling abroad")
    assert [r.donor_id for r in ranked] == ["D-4", "D-1"]
    assert "sibling abroad" in ranked[0].reason.fr
    with pytest.raises(ValueError, match="reason"):
        rank_donors(candidates, ProtocolSettings(), preferred="D-4")
