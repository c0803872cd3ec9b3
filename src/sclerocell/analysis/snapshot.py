"""The fingerprint of an analysis snapshot: same data, same hash, same numbers.

:func:`snapshot_hash` is the SHA-256 of a canonical JSON text of the dataset: every record as a
JSON object with sorted keys, each list of records sorted by its own canonical text (so the order
in which the database returned the rows does not matter), dates in ISO format, floats by their
shortest ``repr``. The text starts with :data:`SNAPSHOT_FORMAT`, which changes whenever the
serialisation does. The analysis itself sorts its inputs the same way before computing, so the
results depend on the content of the snapshot only.
"""

from __future__ import annotations

import hashlib
import json

from sclerocell.analysis.dataset import AnalysisDataset
from sclerocell.analysis.serialise import JsonValue, jsonable

__all__ = ["SNAPSHOT_FORMAT", "canonical_json", "canonical_order", "snapshot_hash"]

SNAPSHOT_FORMAT = "sclerocell.analysis.snapshot/1"


def _dump(value: JsonValue) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sorted_records(records: tuple[object, ...]) -> list[JsonValue]:
    texts = sorted(_dump(jsonable(record)) for record in records)
    return [json.loads(text) for text in texts]


def canonical_json(dataset: AnalysisDataset) -> str:
    """The canonical, order-independent JSON text of ``dataset``."""
    document: dict[str, JsonValue] = {
        "format": SNAPSHOT_FORMAT,
        "cutoff_date": dataset.cutoff_date.isoformat(),
        "subjects": _sorted_records(dataset.subjects),
        "adverse_events": _sorted_records(dataset.adverse_events),
        "visits": _sorted_records(dataset.visits),
        "courses": _sorted_records(dataset.courses),
        "funnel": jsonable(dataset.funnel),
    }
    return _dump(document)


def snapshot_hash(dataset: AnalysisDataset) -> str:
    """SHA-256 (hex) of :func:`canonical_json`."""
    return hashlib.sha256(canonical_json(dataset).encode("utf-8")).hexdigest()


def _ordered[T](records: tuple[T, ...]) -> tuple[T, ...]:
    return tuple(sorted(records, key=lambda record: _dump(jsonable(record))))


def canonical_order(dataset: AnalysisDataset) -> AnalysisDataset:
    """The same dataset with every list of records in canonical order (the analysis computes on
    this, so that sums and model fits do not depend on the order of the rows)."""
    return AnalysisDataset(
        cutoff_date=dataset.cutoff_date,
        subjects=_ordered(dataset.subjects),
        adverse_events=_ordered(dataset.adverse_events),
        visits=_ordered(dataset.visits),
        funnel=dataset.funnel,
        courses=_ordered(dataset.courses),
    )
