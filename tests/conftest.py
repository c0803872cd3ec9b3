"""Test-wide settings: hermetic, fast, and never the demo database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def compiled_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The pre-screen's compiled SQL is cached in a folder of the test session, not the user's."""
    folder = tmp_path_factory.mktemp("compiled")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCLEROCELL_PRESCREEN_CACHE", str(folder))
        yield folder
