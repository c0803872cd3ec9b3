"""1980 ARA preliminary classification criteria, tri-state."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerocell.clinical.classification import Ara1980Items, ara_1980


def test_the_major_criterion_alone_classifies() -> None:
    result = ara_1980(Ara1980Items(proximal_scleroderma=True))
    assert result.classified is True
    assert "major criterion (proximal scleroderma) present" in result.reason


def test_two_minor_criteria_classify() -> None:
    result = ara_1980(
        Ara1980Items(
            proximal_scleroderma=False,
            sclerodactyly=True,
            digital_pitting_scars_or_pad_loss=True,
            bibasilar_pulmonary_fibrosis=False,
        )
    )
    assert result.classified is True
    assert result.minor_present == ("sclerodactyly", "digital_pitting_scars_or_pad_loss")


def test_one_minor_criterion_does_not() -> None:
    result = ara_1980(Ara1980Items(False, True, False, False))
    assert result.classified is False


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (Ara1980Items(None, False, False, False), None),  # the major could decide
        (Ara1980Items(False, True, None, False), None),  # a second minor could
        (Ara1980Items(False, False, None, False), False),  # one unknown minor cannot reach 2
        (Ara1980Items(None, True, True, None), True),  # already 2 minor
    ],
)
def test_unknown_items_leave_it_undetermined_only_when_they_matter(
    items: Ara1980Items, expected: bool | None
) -> None:
    assert ara_1980(items).classified is expected


tri = st.sampled_from([True, False, None])


@given(tri, tri, tri, tri)
def test_the_verdict_is_consistent_with_every_completion(
    major: bool | None, a: bool | None, b: bool | None, c: bool | None
) -> None:
    verdict = ara_1980(Ara1980Items(major, a, b, c)).classified
    completions = {
        ara_1980(Ara1980Items(m, x, y, z)).classified
        for m in ([major] if major is not None else [True, False])
        for x in ([a] if a is not None else [True, False])
        for y in ([b] if b is not None else [True, False])
        for z in ([c] if c is not None else [True, False])
    }
    assert verdict == (completions.pop() if len(completions) == 1 else None)
