"""Body surface area: Mosteller and Du Bois."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerocell.clinical.bsa import body_surface_area, dubois, mosteller
from sclerocell.clinical.errors import ClinicalInputError


def test_it_matches_the_published_vectors() -> None:
    assert round(mosteller(170, 70), 4) == 1.8181
    assert round(dubois(170, 70), 4) == 1.8097


def test_it_uses_mosteller_unless_told_otherwise() -> None:
    assert body_surface_area(170, 70) == mosteller(170, 70)
    assert body_surface_area(170, 70, "dubois") == dubois(170, 70)


@pytest.mark.parametrize(("height", "weight"), [(0, 70), (170, 0), (-1, 70), (170, float("nan"))])
def test_it_rejects_impossible_measurements(height: float, weight: float) -> None:
    with pytest.raises(ClinicalInputError):
        mosteller(height, weight)


def test_it_rejects_an_unknown_formula() -> None:
    with pytest.raises(ClinicalInputError, match="haycock"):
        body_surface_area(170, 70, "haycock")


heights = st.floats(min_value=50, max_value=250)
weights = st.floats(min_value=3, max_value=300)


@given(h=heights, w=weights, dh=st.floats(min_value=0.5, max_value=50))
def test_it_increases_with_height(h: float, w: float, dh: float) -> None:
    assert mosteller(h + dh, w) > mosteller(h, w)
    assert dubois(h + dh, w) > dubois(h, w)


@given(h=heights, w=weights, dw=st.floats(min_value=0.5, max_value=50))
def test_it_increases_with_weight(h: float, w: float, dw: float) -> None:
    assert mosteller(h, w + dw) > mosteller(h, w)
    assert dubois(h, w + dw) > dubois(h, w)
