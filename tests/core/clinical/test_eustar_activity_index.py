"""Revised EUSTAR activity index."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerocell.clinical.errors import ClinicalInputError
from sclerocell.clinical.eustar import EustarItems, EustarWeights, eustar_activity_index

ALL_PRESENT = EustarItems(
    delta_skin=True,
    mrss=25,
    digital_ulcers=True,
    tendon_friction_rubs=True,
    crp_mg_per_dl=2.0,
    dlco_percent_predicted=50,
)
NONE_PRESENT = EustarItems(
    delta_skin=False,
    mrss=10,
    digital_ulcers=False,
    tendon_friction_rubs=False,
    crp_mg_per_dl=0.3,
    dlco_percent_predicted=85,
)


def test_the_maximum_is_10() -> None:
    result = eustar_activity_index(ALL_PRESENT)
    assert result.score == pytest.approx(10.0)
    assert result.maximum == pytest.approx(10.0)
    assert result.active is True


def test_it_uses_the_published_weights_and_cut_offs() -> None:
    assert eustar_activity_index(NONE_PRESENT).score == 0
    mrss_19 = EustarItems(**{**NONE_PRESENT.__dict__, "mrss": 19})
    assert eustar_activity_index(mrss_19).score == 1.5
    mrss_18 = EustarItems(**{**NONE_PRESENT.__dict__, "mrss": 18})
    assert eustar_activity_index(mrss_18).score == 0  # "> 18"
    crp = EustarItems(**{**NONE_PRESENT.__dict__, "crp_mg_per_dl": 1.1})
    assert eustar_activity_index(crp).score == 2.25
    dlco = EustarItems(**{**NONE_PRESENT.__dict__, "dlco_percent_predicted": 69.9})
    assert eustar_activity_index(dlco).score == 1.0


def test_it_is_active_from_2_5() -> None:
    two_items = EustarItems(
        **{**NONE_PRESENT.__dict__, "delta_skin": True, "dlco_percent_predicted": 60}
    )
    result = eustar_activity_index(two_items)
    assert result.score == 2.5
    assert result.active is True
    one_item = EustarItems(**{**NONE_PRESENT.__dict__, "delta_skin": True})
    assert eustar_activity_index(one_item).active is False


def test_the_weights_are_settings() -> None:
    heavier = EustarWeights(dlco=3.0)
    dlco = EustarItems(**{**NONE_PRESENT.__dict__, "dlco_percent_predicted": 60})
    assert eustar_activity_index(dlco, heavier).active is True


def test_unknown_items_give_a_range() -> None:
    partial = EustarItems(delta_skin=True, mrss=10, digital_ulcers=False)
    result = eustar_activity_index(partial)
    assert (result.score_min, result.score_max) == (1.5, 7.0)
    assert result.score is None
    assert result.active is None
    assert "unknown" in result.explain()


def test_it_rejects_an_mrss_above_51() -> None:
    with pytest.raises(ClinicalInputError) as caught:
        EustarItems(mrss=52)
    assert caught.value.field == "mrss"


tri = st.sampled_from([True, False, None])


@given(
    tri,
    st.one_of(st.none(), st.integers(0, 51)),
    tri,
    tri,
    st.one_of(st.none(), st.floats(0, 30)),
    st.one_of(st.none(), st.floats(0, 150)),
)
def test_the_score_stays_within_0_and_10(
    skin: bool | None,
    mrss: int | None,
    du: bool | None,
    tfr: bool | None,
    crp: float | None,
    dlco: float | None,
) -> None:
    result = eustar_activity_index(EustarItems(skin, mrss, du, tfr, crp, dlco))
    assert 0 <= result.score_min <= result.score_max <= 10
