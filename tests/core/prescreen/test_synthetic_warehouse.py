"""The synthetic OMOP generator: deterministic, chunked, realistic prevalence."""

from __future__ import annotations

from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq

from sclerocell.prescreen.synth import generate


def table(folder: Path, name: str) -> ds.Dataset:
    return ds.dataset(folder / name, format="parquet")


def test_the_same_seed_gives_the_same_warehouse(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", 300, 3, chunk_size=100)
    b = generate(tmp_path / "b", 300, 3, chunk_size=100)
    for name in ("person", "measurement", "observation", "drug_exposure"):
        assert table(a.out, name).to_table().equals(table(b.out, name).to_table())
    assert a.rows == b.rows


def test_it_writes_part_files_chunk_by_chunk(tmp_path: Path) -> None:
    summary = generate(tmp_path / "w", 250, 1, chunk_size=100)
    assert len(list((summary.out / "measurement").glob("part-*.parquet"))) == 3
    assert table(summary.out, "person").count_rows() == 250
    ids = table(summary.out, "measurement").to_table(columns=["measurement_id"]).column(0)
    assert len(set(ids.to_pylist())) == ids.length()


def test_about_five_percent_have_systemic_sclerosis_by_default(tmp_path: Path) -> None:
    summary = generate(tmp_path / "w", 4000, 2)
    assert 0.035 < summary.cases / summary.persons < 0.065
    truth = pq.read_table(summary.out / "ground_truth.parquet")
    assert truth.num_rows == 4000
    assert sum(truth.column("in_population").to_pylist()) == summary.cases


def test_a_warehouse_has_lung_function_histories_timed_blood_pressures_and_normal_ranges(
    tmp_path: Path,
) -> None:
    summary = generate(tmp_path / "w", 400, 5, ssc_share=0.5)
    m = table(summary.out, "measurement").to_table().to_pylist()
    dlco = [r for r in m if r["measurement_concept_id"] == 2_000_000_001]
    assert len({r["measurement_date"].year for r in dlco}) >= 4
    bp = [r for r in m if r["measurement_concept_id"] == 3004249]
    assert sum(r["measurement_datetime"] is not None for r in bp) > 0.8 * len(bp)
    assert any(r["range_high"] for r in m if r["measurement_concept_id"] == 3020564)
    drugs = table(summary.out, "drug_exposure").to_table().to_pylist()
    assert sum(r["drug_concept_id"] in (2_100_000_101, 2_100_000_102) for r in drugs) >= 6
