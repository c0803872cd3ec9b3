"""Same snapshot, same hash, same numbers — whatever the order of the rows."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from sclerocell.analysis.dataset import AnalysisDataset
from sclerocell.analysis.endpoints import analyse
from sclerocell.analysis.snapshot import SNAPSHOT_FORMAT, canonical_json, snapshot_hash
from sclerocell.analysis.synthetic import synthetic_dataset

DATA = synthetic_dataset(seed=7)


def shuffled(data: AnalysisDataset, draw: st.DataObject) -> AnalysisDataset:
    return replace(
        data,
        subjects=tuple(draw.draw(st.permutations(data.subjects))),
        adverse_events=tuple(draw.draw(st.permutations(data.adverse_events))),
        visits=tuple(draw.draw(st.permutations(data.visits))),
        courses=tuple(draw.draw(st.permutations(data.courses))),
    )


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_the_hash_does_not_depend_on_the_order_of_the_rows(data: st.DataObject) -> None:
    assert snapshot_hash(shuffled(DATA, data)) == snapshot_hash(DATA)


def test_the_hash_is_a_sha256_of_a_versioned_canonical_text() -> None:
    digest = snapshot_hash(DATA)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert json.loads(canonical_json(DATA))["format"] == SNAPSHOT_FORMAT


def test_any_change_of_content_changes_the_hash() -> None:
    first = DATA.visits[0]
    changed_visit = replace(
        DATA, visits=(replace(first, mrss=(first.mrss or 0) + 1), *DATA.visits[1:])
    )
    changed_cutoff = replace(
        DATA, cutoff_date=DATA.cutoff_date.replace(day=DATA.cutoff_date.day - 1)
    )
    fewer_events = replace(DATA, adverse_events=DATA.adverse_events[1:])
    hashes = {snapshot_hash(d) for d in (DATA, changed_visit, changed_cutoff, fewer_events)}
    assert len(hashes) == 4


def test_the_same_snapshot_gives_the_same_numbers_and_carries_its_hash() -> None:
    reordered = replace(
        DATA,
        subjects=DATA.subjects[::-1],
        adverse_events=DATA.adverse_events[::-1],
        visits=DATA.visits[::-1],
    )
    first, second = analyse(DATA), analyse(reordered)
    assert first.snapshot_hash == second.snapshot_hash == snapshot_hash(DATA)
    assert first.snapshot_format == SNAPSHOT_FORMAT
    assert json.dumps(first.as_dict(), sort_keys=True) == json.dumps(
        second.as_dict(), sort_keys=True
    )
