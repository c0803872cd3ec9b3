"""HAQ-DI and the SHAQ visual analogue scales."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerocell.clinical.errors import ClinicalInputError
from sclerocell.clinical.haq import CATEGORIES, ITEMS, ShaqVas, haq_di, shaq_vas, vas_to_score


def test_it_has_20_items_in_8_categories() -> None:
    assert len(CATEGORIES) == 8
    assert len(ITEMS) == 20


def test_the_category_score_is_its_highest_item_and_the_index_their_mean() -> None:
    answers = dict.fromkeys(ITEMS, 0)
    answers.update({"dress": 1, "shampoo": 2, "cut_meat": 3, "walk_outdoors": 1})
    result = haq_di(answers)
    assert result.category_scores["dressing"] == 2
    assert result.category_scores["eating"] == 3
    assert result.index == pytest.approx((2 + 3 + 1) / 8)


def test_aids_or_help_raise_the_category_to_2() -> None:
    answers = dict.fromkeys(ITEMS, 0)
    answers["cut_meat"] = 3
    result = haq_di(answers, aids_or_help={"dressing", "eating"})
    assert result.category_scores["dressing"] == 2
    assert result.category_scores["eating"] == 3  # already above 2: unchanged
    assert result.raised_by_aids == ("dressing",)
    assert result.index == pytest.approx(5 / 8)


def test_it_averages_only_the_answered_categories() -> None:
    answers: dict[str, int | None] = dict.fromkeys(ITEMS, 1)
    for item in ("errands", "car_in_out", "chores", "open_car_doors", "open_jars"):
        answers[item] = None
    result = haq_di(answers)
    assert result.answered == 7
    assert result.category_scores["activities"] is None
    assert result.index == 1.0


def test_it_gives_no_index_when_fewer_than_6_categories_are_answered() -> None:
    answers = {"dress": 1, "stand_from_chair": 1, "cut_meat": 1, "walk_outdoors": 1, "wash_body": 1}
    result = haq_di(answers)
    assert result.answered == 5
    assert result.index is None
    assert "at least 6" in result.explain()
    assert haq_di(answers, min_categories=5).index == 1.0


@pytest.mark.parametrize("bad", [4, -1, 1.5, True])
def test_it_rejects_an_answer_outside_0_to_3(bad: object) -> None:
    with pytest.raises(ClinicalInputError) as caught:
        haq_di({"dress": bad})  # type: ignore[dict-item]
    assert caught.value.field == "dress"


def test_it_rejects_unknown_items_and_categories() -> None:
    with pytest.raises(ClinicalInputError, match="unknown item"):
        haq_di({"juggle": 1})
    with pytest.raises(ClinicalInputError, match="unknown category"):
        haq_di({"dress": 1}, aids_or_help={"juggling"})


def test_shaq_scales_15_cm_to_0_3_separately() -> None:
    assert vas_to_score(7.5) == 1.5
    assert vas_to_score(15) == 3.0
    result = shaq_vas(ShaqVas(pain=3.0, raynaud=15.0))
    assert result.scores["pain"] == pytest.approx(0.6)
    assert result.scores["raynaud"] == 3.0
    assert result.scores["breathing"] is None


def test_a_vas_mark_beyond_the_line_is_rejected() -> None:
    with pytest.raises(ClinicalInputError) as caught:
        shaq_vas(ShaqVas(intestinal=16))
    assert caught.value.field == "intestinal"


answers_strategy = st.dictionaries(
    st.sampled_from(sorted(ITEMS)), st.one_of(st.none(), st.integers(0, 3))
)
aids_strategy = st.sets(st.sampled_from([c.id for c in CATEGORIES]))


@given(answers_strategy, aids_strategy)
def test_the_index_is_within_0_and_3(answers: dict[str, int | None], aids: set[str]) -> None:
    result = haq_di(answers, aids)
    if result.index is None:
        assert result.answered < 6
    else:
        assert 0 <= result.index <= 3
