"""Modified Rodnan skin score: sites, total, missing sites, change and its flags."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerocell.clinical.errors import ClinicalInputError
from sclerocell.clinical.mrss import MAX_TOTAL, SITE_IDS, SITES, change, get_site, score


def _all(value: int) -> dict[str, int | None]:
    return dict.fromkeys(SITE_IDS, value)


def test_it_has_17_named_sites_with_french_and_english_labels() -> None:
    assert len(SITES) == 17
    assert len(set(SITE_IDS)) == 17
    assert MAX_TOTAL == 51
    assert get_site("left_hand_dorsum").label_fr == "Dos de la main gauche"
    assert get_site("anterior_chest").label_en == "Anterior chest"
    sides = [site.side for site in SITES]
    assert sides.count("right") == sides.count("left") == 7
    assert sides.count(None) == 3


def test_it_totals_the_17_sites() -> None:
    assert score(_all(0)).total == 0
    assert score(_all(3)).total == 51
    scores = _all(1)
    scores["face"] = 3
    result = score(scores)
    assert result.total == 19
    assert result.complete
    assert "19/51" in result.explain()


def test_it_gives_no_total_and_names_the_missing_sites() -> None:
    scores = _all(2)
    del scores["right_thigh"]
    scores["left_foot_dorsum"] = None
    result = score(scores)
    assert result.total is None
    assert result.missing == ("right_thigh", "left_foot_dorsum")
    assert result.recorded_sum == 30
    assert "right_thigh" in result.explain()


def test_it_rejects_an_unknown_site() -> None:
    with pytest.raises(ClinicalInputError, match="unknown site 'nose'") as caught:
        score({**_all(1), "nose": 1})
    assert caught.value.field == "nose"


@pytest.mark.parametrize("bad", [4, -1, 1.5, True, "2"])
def test_it_rejects_a_site_score_outside_0_to_3(bad: object) -> None:
    scores: dict[str, object] = dict(_all(1))
    scores["face"] = bad
    with pytest.raises(ClinicalInputError) as caught:
        score(scores)  # type: ignore[arg-type]
    assert caught.value.field == "face"


def test_it_computes_the_change_in_points_and_percent() -> None:
    result = change(20, 14)
    assert result is not None
    assert result.points == -6
    assert result.percent == pytest.approx(-30.0)
    assert result.minimal_important_improvement
    assert result.eustar_improved
    assert not result.minimal_important_worsening
    assert not result.eustar_progressed


def test_the_minimal_important_change_is_five_points_by_default() -> None:
    assert change(30, 25).minimal_important_improvement  # type: ignore[union-attr]
    assert not change(30, 26).minimal_important_improvement  # type: ignore[union-attr]
    assert change(30, 26, mic_points=3.2).minimal_important_improvement  # type: ignore[union-attr]


def test_eustar_improvement_needs_more_than_5_points_and_at_least_25_percent() -> None:
    assert not change(20, 15).eustar_improved  # type: ignore[union-attr]  # exactly 5 points
    assert change(24, 18).eustar_improved  # type: ignore[union-attr]  # 6 points, 25 %
    assert not change(40, 33).eustar_improved  # type: ignore[union-attr]  # 7 points, 17.5 %
    assert change(40, 33, eustar_percent=15).eustar_improved  # type: ignore[union-attr]


def test_it_flags_skin_progression_symmetrically() -> None:
    assert change(10, 16).eustar_progressed  # type: ignore[union-attr]
    assert change(0, 6).eustar_progressed  # type: ignore[union-attr]
    assert change(0, 6).percent is None  # type: ignore[union-attr]


def test_it_has_no_change_when_a_total_is_missing() -> None:
    incomplete = score({"face": 1})
    assert change(incomplete, 10) is None
    assert change(None, 10) is None
    assert change(score(_all(1)), score(_all(2))).points == 17  # type: ignore[union-attr]


@pytest.mark.parametrize(("baseline", "follow_up"), [(52, 10), (-1, 10), (10, 2.5)])
def test_it_rejects_a_total_outside_0_to_51(baseline: object, follow_up: object) -> None:
    with pytest.raises(ClinicalInputError):
        change(baseline, follow_up)  # type: ignore[arg-type]


site_scores = st.dictionaries(
    st.sampled_from(SITE_IDS), st.one_of(st.none(), st.integers(0, 3)), max_size=17
)


@given(site_scores)
def test_the_total_is_the_sum_within_0_to_51_or_none(scores: dict[str, int | None]) -> None:
    result = score(scores)
    values = [scores.get(site) for site in SITE_IDS]
    if any(v is None for v in values):
        assert result.total is None
        assert set(result.missing) == {s for s in SITE_IDS if scores.get(s) is None}
    else:
        assert result.total == sum(v for v in values if v is not None)
        assert result.total is not None
        assert 0 <= result.total <= 51
