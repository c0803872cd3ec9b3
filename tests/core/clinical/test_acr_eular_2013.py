"""2013 ACR/EULAR classification criteria, tri-state."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerocell.clinical.classification import (
    ACR_EULAR_2013_MAX_TOTAL,
    AcrEular2013Items,
    acr_eular_2013,
)
from sclerocell.clinical.errors import ClinicalInputError

APPLICABILITY = ("skin_thickening_sparing_fingers", "scleroderma_like_disorder_explains")
ITEM_NAMES = tuple(f.name for f in fields(AcrEular2013Items) if f.name not in APPLICABILITY)
APPLICABLE = {name: False for name in APPLICABILITY}


def _all_absent(**present: bool | None) -> AcrEular2013Items:
    values: dict[str, bool | None] = dict.fromkeys(ITEM_NAMES, False)
    values.update(APPLICABLE)
    values.update(present)
    return AcrEular2013Items(**values)


def test_the_maximum_total_is_28() -> None:
    assert ACR_EULAR_2013_MAX_TOTAL == 28
    result = acr_eular_2013(_all_absent(**dict.fromkeys(ITEM_NAMES, True)))
    assert result.total == 28


def test_proximal_skin_thickening_alone_is_sufficient() -> None:
    result = acr_eular_2013(_all_absent(skin_thickening_proximal_to_mcp=True))
    assert result.total == 9
    assert result.classified is True


def test_only_the_highest_weight_of_a_domain_counts() -> None:
    result = acr_eular_2013(
        _all_absent(
            puffy_fingers=True,
            sclerodactyly=True,
            digital_tip_ulcers=True,
            fingertip_pitting_scars=True,
            pulmonary_arterial_hypertension=True,
            interstitial_lung_disease=True,
            anticentromere=True,
            anti_topoisomerase_i=True,
        )
    )
    by_domain = {d.domain: d for d in result.domains}
    assert by_domain["skin_of_fingers"].weight == 4
    assert by_domain["skin_of_fingers"].chosen_item == "sclerodactyly"
    assert "highest weight only" in by_domain["skin_of_fingers"].reason
    assert by_domain["fingertip_lesions"].weight == 3
    assert by_domain["pah_ild"].weight == 2
    assert by_domain["autoantibodies"].weight == 3
    assert result.total == 12
    assert result.classified is True


def test_a_total_of_8_is_not_classified_and_9_is() -> None:
    eight = acr_eular_2013(
        _all_absent(raynaud_phenomenon=True, anticentromere=True, telangiectasia=True)
    )
    assert eight.total == 8
    assert eight.classified is False
    nine = acr_eular_2013(
        _all_absent(raynaud_phenomenon=True, anticentromere=True, fingertip_pitting_scars=True)
    )
    assert nine.total == 9
    assert nine.classified is True


def test_it_is_undetermined_only_when_unknown_items_could_change_the_verdict() -> None:
    undecided = acr_eular_2013(_all_absent(raynaud_phenomenon=True, anticentromere=None))
    assert (undecided.total_min, undecided.total_max) == (3, 6)
    assert undecided.classified is False  # even with the antibody, 6 < 9

    could_flip = acr_eular_2013(
        _all_absent(raynaud_phenomenon=True, sclerodactyly=True, anticentromere=None)
    )
    assert (could_flip.total_min, could_flip.total_max) == (7, 10)
    assert could_flip.total is None
    assert could_flip.classified is None
    assert could_flip.unknown_items == ("anticentromere",)
    assert any("Would be decided by: anticentromere" in line for line in could_flip.explain())

    already = acr_eular_2013(_all_absent(skin_thickening_proximal_to_mcp=True, telangiectasia=None))
    assert already.classified is True


def test_it_is_not_applicable_when_a_scleroderma_like_disorder_explains_the_findings() -> None:
    result = acr_eular_2013(
        _all_absent(skin_thickening_proximal_to_mcp=True, scleroderma_like_disorder_explains=True)
    )
    assert result.total == 9
    assert result.not_applicable is True
    assert result.classified is False
    assert any("not applicable" in line for line in result.explain())


def test_it_is_not_applicable_when_skin_thickening_spares_the_fingers() -> None:
    result = acr_eular_2013(
        _all_absent(raynaud_phenomenon=True, skin_thickening_sparing_fingers=True)
    )
    assert result.not_applicable is True
    assert result.classified is False


def test_thickened_fingers_answer_the_finger_sparing_question() -> None:
    result = acr_eular_2013(
        _all_absent(skin_thickening_proximal_to_mcp=True, skin_thickening_sparing_fingers=None)
    )
    assert result.not_applicable is False
    assert result.classified is True


def test_an_unanswered_applicability_question_leaves_a_positive_score_undetermined() -> None:
    result = acr_eular_2013(
        _all_absent(skin_thickening_proximal_to_mcp=True, scleroderma_like_disorder_explains=None)
    )
    assert result.reaches_threshold is True
    assert result.classified is None
    assert result.unknown_items == ("scleroderma_like_disorder_explains",)


def test_it_rejects_contradictory_finger_answers() -> None:
    with pytest.raises(ClinicalInputError) as caught:
        AcrEular2013Items(sclerodactyly=True, skin_thickening_sparing_fingers=True)
    assert caught.value.field == "skin_thickening_sparing_fingers"


def test_it_rejects_an_item_that_is_not_tri_state() -> None:
    with pytest.raises(ClinicalInputError) as caught:
        AcrEular2013Items(raynaud_phenomenon="yes")  # type: ignore[arg-type]
    assert caught.value.field == "raynaud_phenomenon"


tri = st.sampled_from([True, False, None])
item_values = st.fixed_dictionaries({name: tri for name in ITEM_NAMES})


@given(values=item_values, mimic=tri, flip=st.sampled_from(ITEM_NAMES))
def test_totals_stay_in_range_and_rise_when_an_item_turns_present(
    values: dict[str, bool | None], mimic: bool | None, flip: str
) -> None:
    items = AcrEular2013Items(**values, scleroderma_like_disorder_explains=mimic)
    before = acr_eular_2013(items)
    after = acr_eular_2013(replace(items, **{flip: True}))
    for result in (before, after):
        assert 0 <= result.total_min <= result.total_max <= ACR_EULAR_2013_MAX_TOTAL
    assert after.total_min >= before.total_min
    if values[flip] is False:
        assert after.total_max >= before.total_max
    if before.classified is True:
        assert after.classified is True


def _complete(items: AcrEular2013Items, *, favourable: bool) -> AcrEular2013Items:
    """Fill every unknown with the answer most (or least) favourable to classification."""
    values = {name: getattr(items, name) for name in ITEM_NAMES}
    filled = {k: (favourable if v is None else v) for k, v in values.items()}
    if items.skin_thickening_sparing_fingers:  # the fingers are known not to be thickened
        for name in ("skin_thickening_proximal_to_mcp", "sclerodactyly"):
            filled[name] = bool(values[name])
    thickened = bool(filled["skin_thickening_proximal_to_mcp"] or filled["sclerodactyly"])
    flags = {}
    for name in APPLICABILITY:
        value = getattr(items, name)
        if value is None:
            value = not favourable
            if name == "skin_thickening_sparing_fingers" and thickened:
                value = False
        flags[name] = value
    return AcrEular2013Items(**filled, **flags)


@given(values=item_values, mimic=tri, sparing=tri)
def test_the_verdict_is_none_exactly_when_the_unknowns_could_change_it(
    values: dict[str, bool | None], mimic: bool | None, sparing: bool | None
) -> None:
    if sparing and (values["sclerodactyly"] or values["skin_thickening_proximal_to_mcp"]):
        sparing = None
    items = AcrEular2013Items(
        **values, scleroderma_like_disorder_explains=mimic, skin_thickening_sparing_fingers=sparing
    )
    verdict = acr_eular_2013(items).classified
    best = acr_eular_2013(_complete(items, favourable=True)).classified
    worst = acr_eular_2013(_complete(items, favourable=False)).classified
    assert best is not None and worst is not None
    if verdict is None:
        assert best != worst
    else:
        assert best == worst == verdict
