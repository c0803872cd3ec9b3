"""Kleene logic on the four statuses; not_assessable combines like unknown, reported distinctly."""

from __future__ import annotations

import itertools

import pytest

from sclerocell.criteria.status import Status, all_of, any_of, at_least, negate

M, N, U, A = Status.MET, Status.NOT_MET, Status.UNKNOWN, Status.NOT_ASSESSABLE


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [(N, U, N), (M, U, U), (M, M, M), (N, A, N), (M, A, A), (U, A, U), (A, A, A)],
)
def test_it_combines_and_by_kleene_logic(left: Status, right: Status, expected: Status) -> None:
    assert all_of([left, right]) is expected
    assert all_of([right, left]) is expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [(M, U, M), (N, U, U), (N, N, N), (M, A, M), (N, A, A), (U, A, U), (A, A, A)],
)
def test_it_combines_or_by_kleene_logic(left: Status, right: Status, expected: Status) -> None:
    assert any_of([left, right]) is expected
    assert any_of([right, left]) is expected


def test_it_negates_only_decided_statuses() -> None:
    assert [negate(s) for s in (M, N, U, A)] == [N, M, U, A]


def test_it_treats_empty_groups_as_neutral() -> None:
    assert all_of([]) is M
    assert any_of([]) is N


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((M, M, N), M),
        ((M, N, N), N),
        ((M, U, N), U),
        ((M, A, N), A),
        ((M, A, U), U),
        ((N, N, U), N),
    ],
)
def test_it_decides_at_least_k_as_soon_as_possible(
    statuses: tuple[Status, ...], expected: Status
) -> None:
    assert at_least(2, statuses) is expected


def test_it_matches_the_code_order_used_by_the_compiled_path() -> None:
    for a, b in itertools.product(Status, repeat=2):
        assert all_of([a, b]).code == min(a.code, b.code)
        assert Status.from_code(a.code) is a
