"""Recipient inclusion criteria R-I1…R-I5 at their boundaries, under default and alternative
readings."""

from __future__ import annotations

import datetime as dt

import pytest

from sclerocell.criteria.status import Status
from sclerocell.facts.schema import Fact
from sclerocell.protocol.screen import screen
from sclerocell.protocol.settings import ProtocolSettings

from .build import D, days, fact, recipient, replace, status

M, N, U, A = Status.MET, Status.NOT_MET, Status.UNKNOWN, Status.NOT_ASSESSABLE


def born(year: int, month: int) -> Fact:
    return fact("birth_month", dt.date(year, month, 1), text=f"{year}-{month:02d}")


def test_it_finds_the_example_recipient_eligible() -> None:
    result = screen("recipient", recipient(), D)
    assert result.verdict is M
    assert [c.id for c in result.result.children] == [
        "recipient.inclusion",
        "recipient.non_inclusion",
    ]


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [(2005, 4, M), (2006, 4, N), (2005, 5, U), (1954, 6, M), (1954, 4, N), (1954, 5, U)],
    ids=["19y", "18y", "18or19", "69y", "70y", "69or70"],
)
def test_it_reads_r_i1_with_strict_bounds(year: int, month: int, expected: Status) -> None:
    assert status("recipient", replace(recipient(), born(year, month)), "R-I1") is expected


def test_it_reads_r_i1_with_inclusive_bounds_as_a_setting() -> None:
    inclusive = ProtocolSettings(r_i1_bounds="inclusive")
    assert status("recipient", replace(recipient(), born(2006, 4)), "R-I1", inclusive) is M
    assert status("recipient", replace(recipient(), born(1954, 4)), "R-I1", inclusive) is M
    assert status("recipient", replace(recipient(), born(1953, 4)), "R-I1", inclusive) is N


def test_it_takes_the_r_i1_bound_values_from_the_settings() -> None:
    wider = ProtocolSettings(r_i1_age_max_years=75)
    assert status("recipient", replace(recipient(), born(1952, 1)), "R-I1", wider) is M


def test_it_is_unknown_on_r_i1_without_a_month_of_birth() -> None:
    assert status("recipient", replace(recipient(), drop=("birth_month",)), "R-I1") is U


def test_it_meets_r_i2_by_either_classification_and_shows_both_scores() -> None:
    ara_only = replace(
        recipient(),
        fact("skin_thickening_proximal_to_mcp", days(400), 0),
        fact("raynaud_phenomenon", days(400), 0),
        fact("anti_topoisomerase_i", days(400), 0),
    )
    result = screen("recipient", ara_only, D).result
    assert result.find("R-I2.acr_eular_2013").status is U  # unrecorded items could reach 9
    assert result.find("R-I2.ara_1980").status is M
    assert result.find("R-I2").status is M
    assert result.find("R-I2.acr_eular_2013").evidence.value("score_min") == 2  # ILD only
    assert result.find("R-I2.ara_1980").evidence.value("score_min") == 2


def test_it_does_not_meet_r_i2_when_neither_classification_holds() -> None:
    neither = replace(
        recipient(),
        fact("skin_thickening_proximal_to_mcp", days(400), 0),
        fact("raynaud_phenomenon", days(400), 0),
        fact("anti_topoisomerase_i", days(400), 0),
        fact("proximal_scleroderma", days(400), 0),
    )
    assert status("recipient", neither, "R-I2") is U  # the unrecorded items could still add up
    closed = [*neither]
    for code in (
        "puffy_fingers",
        "sclerodactyly",
        "digital_tip_ulcers",
        "fingertip_pitting_scars",
        "telangiectasia",
        "abnormal_nailfold_capillaries",
        "anticentromere",
        "anti_rna_polymerase_iii",
        "digital_pitting_scars_or_pad_loss",
        "bibasilar_pulmonary_fibrosis",
    ):
        closed = replace(closed, fact(code, days(400), 0))
    assert status("recipient", closed, "R-I2") is N


def test_it_reads_r_i3a_from_the_investigator() -> None:
    facts = replace(recipient(), drop=("refractory_to_recommended_immunosuppression",))
    assert status("recipient", facts, "R-I3a") is A
    assert status("recipient", facts, "recipient") is A
    refused = replace(
        facts,
        fact("refractory_to_recommended_immunosuppression", D, 0),
        fact("contraindication_to_recommended_immunosuppression", D, 0),
        fact("life_threatening_fibrosing_lung_disease", D, 0),
    )
    assert status("recipient", refused, "R-I3a") is N
    lung = replace(
        facts,
        fact("life_threatening_fibrosing_lung_disease", D, 1),
        fact("lung_transplant_ruled_out", D, 1),
    )
    assert status("recipient", lung, "R-I3a") is M


@pytest.mark.parametrize(
    ("end", "expected"),
    [(dt.date(2023, 11, 15), M), (dt.date(2023, 11, 16), N), (None, U)],
    ids=["6-months", "6-months-less-a-day", "end-unknown"],
)
def test_it_reads_r_i3b_from_the_end_of_cyclophosphamide(
    end: dt.date | None, expected: Status
) -> None:
    facts = replace(recipient(), fact("cyclophosphamide_iv_high_dose", end, 1))
    assert status("recipient", facts, "R-I3b") is expected


def test_it_meets_r_i3b_when_cyclophosphamide_was_never_given() -> None:
    facts = replace(recipient(), fact("cyclophosphamide_iv_high_dose", None, 0))
    assert status("recipient", facts, "R-I3b") is M
    assert (
        status("recipient", replace(recipient(), drop=("cyclophosphamide_iv_high_dose",)), "R-I3b")
        is U
    )


@pytest.mark.parametrize(("total", "expected"), [(15, M), (14, N)])
def test_it_reads_r_i3c_at_fifteen(total: float, expected: Status) -> None:
    facts = replace(recipient(), fact("mrss_total", days(1), total))
    assert status("recipient", facts, "R-I3c") is expected


def test_it_is_unknown_on_r_i3c_without_an_mrss_at_screening() -> None:
    facts = [f for f in recipient() if not f.code.startswith("mrss_")]
    result = screen("recipient", facts, D).result.find("R-I3c")
    assert result.status is U
    assert result.evidence.missing is not None


def test_it_needs_a_major_visceral_involvement_for_r_i3d() -> None:
    facts = replace(recipient(), fact("ild_on_imaging", days(90), 0))
    assert status("recipient", facts, "R-V1") is N
    assert status("recipient", facts, "R-I3d") is U  # cardiac and renal items not recorded
    for code in (
        "reversible_congestive_heart_failure",
        "recurrent_rhythm_disorder",
        "av_block_2nd_3rd_degree",
        "pericardial_effusion_treated",
        "urinary_sediment_abnormality",
        "microangiopathic_haemolytic_anaemia",
    ):
        facts = replace(facts, fact(code, days(1), 0))
    assert status("recipient", facts, "R-I3d") is N


def test_it_pairs_r_i3e_with_the_involved_organ() -> None:
    facts = replace(recipient(), drop=("non_ssc_causes_excluded_respiratory",))
    assert status("recipient", facts, "R-I3e") is U  # cardiac and renal still undetermined
    cardiac_statement = replace(facts, fact("non_ssc_causes_excluded_cardiac", D, 1))
    assert status("recipient", cardiac_statement, "R-I3e.cardiac") is U  # R-V2 not shown
    no = replace(recipient(), fact("non_ssc_causes_excluded_respiratory", D, 0))
    assert status("recipient", no, "R-I3e.respiratory") is N


def test_it_reads_r_i4_donor_social_security_and_consent() -> None:
    assert status("recipient", replace(recipient(), drop=("informed_consent",)), "R-I4") is A
    assert status("recipient", replace(recipient(), fact("social_security", None, 0)), "R-I4") is N
    assert status("recipient", replace(recipient(), fact("consenting_donor", None, 0)), "R-I4") is N
    assert status("recipient", replace(recipient(), drop=("consenting_donor",)), "R-I4") is U


def test_it_does_not_apply_r_i5_to_men() -> None:
    man = replace(recipient(), fact("sex", None, text="M"), drop=("effective_contraception",))
    assert status("recipient", man, "R-I5") is M


def test_it_does_not_apply_r_i5_without_childbearing_potential() -> None:
    facts = replace(
        recipient(), fact("childbearing_potential", None, 0), drop=("effective_contraception",)
    )
    assert status("recipient", facts, "R-I5") is M


def test_it_requires_contraception_for_a_woman_of_childbearing_potential() -> None:
    assert (
        status("recipient", replace(recipient(), fact("effective_contraception", None, 0)), "R-I5")
        is N
    )
    assert status("recipient", replace(recipient(), drop=("effective_contraception",)), "R-I5") is U
