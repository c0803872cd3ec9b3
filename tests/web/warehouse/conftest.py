"""A tiny synthetic warehouse for site A (01), screened once; each test gets its own results
folder, with or without that run in it."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from sclerocell.prescreen.run import prescreen
from sclerocell.prescreen.synth import INDEX_DATE, generate


@dataclass(frozen=True)
class Warehouse:
    location: Path
    run: Path  # a finished pre-screen of it


@pytest.fixture(scope="session")
def tiny_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    root = tmp_path_factory.mktemp("warehouse")
    summary = generate(root / "omop", 80, 5, ssc_share=0.5, broken_share=0.05, eligible_share=0.3)
    run = root / "run" / "20240615T120000000000Z"
    prescreen(summary.out, INDEX_DATE, run, exact_top=5)
    return Warehouse(summary.out, run)


@pytest.fixture
def configured(settings: pytest.FixtureRequest, tiny_warehouse: Warehouse, tmp_path: Path) -> Path:
    """Site 01 has the tiny warehouse; results go to a fresh folder; a run started from the
    page runs in the request (deterministic)."""
    settings.SCLEROCELL_WAREHOUSES = {1: str(tiny_warehouse.location)}  # type: ignore[attr-defined]
    settings.SCLEROCELL_PRESCREEN_RUNNER = "inline"  # type: ignore[attr-defined]
    settings.SCLEROCELL_PRESCREEN_DIR = str(tmp_path / "prescreen")  # type: ignore[attr-defined]
    return tmp_path / "prescreen"


@pytest.fixture
def with_a_run(configured: Path, tiny_warehouse: Warehouse) -> Path:
    """Site 01 has a finished pre-screen in its folder."""
    target = configured / "site-01" / tiny_warehouse.run.name
    shutil.copytree(tiny_warehouse.run, target)
    return target


INDEX = dt.date(2024, 6, 15)
