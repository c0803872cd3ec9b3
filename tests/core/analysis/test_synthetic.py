"""The synthetic dataset is valid, realistic for 20 recipients, and reproducible by its seed."""

from __future__ import annotations

import json

from sclerocell.analysis.dataset import EndCause
from sclerocell.analysis.endpoints import analyse
from sclerocell.analysis.snapshot import snapshot_hash
from sclerocell.analysis.synthetic import synthetic_dataset


def test_the_same_seed_gives_the_same_dataset_and_another_seed_another() -> None:
    assert snapshot_hash(synthetic_dataset(3)) == snapshot_hash(synthetic_dataset(3))
    assert snapshot_hash(synthetic_dataset(3)) != snapshot_hash(synthetic_dataset(4))


def test_it_looks_like_the_trial() -> None:
    data = synthetic_dataset()
    assert len(data.subjects) == 20
    levels = [s.dose_level for s in sorted(data.subjects, key=lambda s: s.inclusion_date)]
    assert levels == [1] * 10 + [2] * 10
    assert sum(s.infused for s in data.subjects) == 19
    assert sum(s.end_cause is EndCause.DEATH for s in data.subjects) == 2
    assert min(s.inclusion_date for s in data.subjects).year == 2014
    assert any(e.grade >= 3 for e in data.adverse_events)
    assert {v.visit for v in data.visits} >= {"BL", "M3", "M6", "M9", "M12", "M24"}
    assert data.funnel is not None and data.funnel.screened > data.funnel.eligible >= 20


def test_every_endpoint_runs_on_it_and_exports_to_json() -> None:
    results = analyse(synthetic_dataset())
    assert results.tolerance.safety_population.overall == 19
    assert results.feasibility is not None and results.feasibility.included == 20
    assert results.survival.overall.at_horizon.survival is not None
    assert all(m.fitted for m in results.response.models)
    text = json.dumps(results.as_dict(), ensure_ascii=False)
    assert results.snapshot_hash in text
