"""``sclerocell prescreen`` and ``sclerocell synth-omop``."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.web.warehouse.conftest import INDEX, Warehouse


def test_synth_omop_writes_a_warehouse_with_its_ground_truth(tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "synth_omop",
        "--persons",
        "50",
        "--seed",
        "3",
        "--out",
        str(tmp_path / "w"),
        "--no-progress",
        stdout=out,
    )
    assert "50 persons" in out.getvalue()
    assert (tmp_path / "w" / "ground_truth.parquet").exists()
    assert list((tmp_path / "w" / "measurement").glob("part-*.parquet"))


def test_prescreen_writes_the_funnel_the_lists_and_the_summaries(
    tiny_warehouse: Warehouse, tmp_path: Path
) -> None:
    out = StringIO()
    call_command(
        "prescreen",
        "--omop",
        str(tiny_warehouse.location),
        "--index-date",
        INDEX.isoformat(),
        "--out",
        str(tmp_path / "out"),
        "--no-progress",
        stdout=out,
    )
    text = out.getvalue()
    assert "eligible" in text and "rows refused" in text
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run == {**run, "engine": "duckdb", "role": "recipient", "index_date": "2024-06-15"}
    for name in ("funnel.csv", "to_confirm.parquet", "rejects.csv", "summary.fr.html"):
        assert (tmp_path / "out" / name).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--index-date", "15/06/2024"], "expected YYYY-MM-DD"),
        (["--omop", "/nowhere/at/all"], "not a folder"),
    ],
)
def test_prescreen_stops_with_a_clear_message(
    tiny_warehouse: Warehouse, tmp_path: Path, args: list[str], message: str
) -> None:
    base = {"--omop": str(tiny_warehouse.location), "--index-date": INDEX.isoformat()}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = [x for kv in base.items() for x in kv] + ["--out", str(tmp_path / "o"), "--no-progress"]
    with pytest.raises(CommandError, match=message):
        call_command("prescreen", *argv)
