"""Weighted scores (ACR/EULAR 2013, ARA 1980) and totals from items (mRSS)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from sclerocell.clinical.classification import (
    AcrEular2013Items,
    Ara1980Items,
    acr_eular_2013,
    ara_1980,
)
from sclerocell.criteria.scores import TotalOrItems
from sclerocell.criteria.status import Status
from sclerocell.criteria.windows import Window
from sclerocell.facts.codes import MRSS_SITE_CODES
from sclerocell.facts.schema import Fact
from sclerocell.protocol.recipient import ACR_EULAR_ITEM_CODES, _acr_eular, _ara

from .build import T, days, fact, run

MRSS = TotalOrItems(
    id="mrss",
    text=T,
    total_code="mrss_total",
    item_codes=MRSS_SITE_CODES,
    item_max=3,
    threshold=15,
    window=Window(3),
)
TRISTATE = st.sampled_from([True, False, None])
ACR_FIELDS = [
    "skin_thickening_proximal_to_mcp",
    "puffy_fingers",
    "sclerodactyly",
    "digital_tip_ulcers",
    "fingertip_pitting_scars",
    "telangiectasia",
    "abnormal_nailfold_capillaries",
    "pulmonary_arterial_hypertension",
    "interstitial_lung_disease",
    "raynaud_phenomenon",
    "anticentromere",
    "anti_topoisomerase_i",
    "anti_rna_polymerase_iii",
    "skin_thickening_sparing_fingers",
    "scleroderma_like_disorder_explains",
]
ARA_FIELDS = [
    "proximal_scleroderma",
    "sclerodactyly",
    "digital_pitting_scars_or_pad_loss",
    "bibasilar_pulmonary_fibrosis",
]
VERDICT = {True: Status.MET, False: Status.NOT_MET, None: Status.UNKNOWN}


def _facts(items: dict[str, bool | None]) -> list[Fact]:
    return [
        fact(ACR_EULAR_ITEM_CODES.get(name, name), dt.date(2020, 1, 1), 1.0 if value else 0.0)
        for name, value in items.items()
        if value is not None
    ]


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({name: TRISTATE for name in ACR_FIELDS}))
def test_it_agrees_with_the_clinical_acr_eular_calculator(items: dict[str, bool | None]) -> None:
    fingers = items["skin_thickening_proximal_to_mcp"] or items["sclerodactyly"]
    if fingers and items["skin_thickening_sparing_fingers"]:
        items["skin_thickening_sparing_fingers"] = None  # contradictory: refused by the calculator
    expected = acr_eular_2013(AcrEular2013Items(**items))
    result = run(_acr_eular(), *_facts(items))
    assert result.status is VERDICT[expected.classified]
    assert result.evidence.value("score_min") == expected.total_min
    assert result.evidence.value("score_max") == expected.total_max


@settings(max_examples=60, deadline=None)
@given(st.fixed_dictionaries({name: TRISTATE for name in ARA_FIELDS}))
def test_it_agrees_with_the_clinical_ara_calculator(items: dict[str, bool | None]) -> None:
    expected = ara_1980(Ara1980Items(**items))
    assert run(_ara(), *_facts(items)).status is VERDICT[expected.classified]


def test_it_meets_an_mrss_total_of_fifteen() -> None:
    assert run(MRSS, fact("mrss_total", days(10), 15)).status is Status.MET
    assert run(MRSS, fact("mrss_total", days(10), 14)).status is Status.NOT_MET


def test_it_sums_the_seventeen_sites_when_no_total_is_recorded() -> None:
    sites = [fact(code, days(10), 1) for code in MRSS_SITE_CODES[:15]]
    sites += [fact(code, days(10), 0) for code in MRSS_SITE_CODES[15:]]
    result = run(MRSS, *sites)
    assert result.status is Status.MET
    assert result.evidence.value("total_min") == 15
    one_less = [*sites[1:], fact(MRSS_SITE_CODES[0], days(10), 0)]
    assert run(MRSS, *one_less).status is Status.NOT_MET


def test_it_is_unknown_when_missing_sites_could_reach_the_threshold() -> None:
    sites = [fact(code, days(10), 1) for code in MRSS_SITE_CODES[:13]]
    result = run(MRSS, *sites)
    assert result.status is Status.UNKNOWN  # 13, up to 25
    assert result.evidence.missing is not None
    assert "missing sites" in result.evidence.missing.en


def test_it_uses_the_more_recent_of_the_total_and_the_sites() -> None:
    sites = [fact(code, days(5), 0) for code in MRSS_SITE_CODES]
    assert run(MRSS, fact("mrss_total", days(20), 30), *sites).status is Status.NOT_MET
    assert run(MRSS, fact("mrss_total", days(5), 30), *sites).status is Status.MET


def test_it_is_unknown_without_an_examination_in_the_window() -> None:
    assert run(MRSS, fact("mrss_total", days(120), 30)).status is Status.UNKNOWN
