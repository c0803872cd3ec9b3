"""Compiled SQL kept on disk: a next run reads it instead of compiling, with the same results;
anything the SQL depends on is part of its key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sclerocell.prescreen import run, sqlcache, to_facts
from sclerocell.prescreen.run import PrescreenResult, prescreen
from sclerocell.prescreen.synth import Summary


def test_a_query_is_compiled_once_then_read_from_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCLEROCELL_PRESCREEN_CACHE", str(tmp_path))
    built: list[str] = []

    def build() -> str:
        built.append("x")
        return "SELECT 1"

    parts = {"dialect": "duckdb", "index_date": "2024-06-15"}
    assert sqlcache.cached("screen", parts, ("criteria",), build) == "SELECT 1"
    assert sqlcache.cached("screen", parts, ("criteria",), build) == "SELECT 1"
    assert built == ["x"]
    assert [p.suffix for p in tmp_path.iterdir()] == [".sql"]


def test_anything_the_query_depends_on_changes_its_key() -> None:
    parts = {"dialect": "duckdb", "index_date": "2024-06-15", "settings": {"a": 1}}
    key = sqlcache.key("screen", parts, ("criteria",))
    assert key == sqlcache.key("screen", dict(parts), ("criteria",))
    assert key != sqlcache.key("screen", {**parts, "index_date": "2024-06-16"}, ("criteria",))
    assert key != sqlcache.key("screen", {**parts, "settings": {"a": 2}}, ("criteria",))
    assert key != sqlcache.key("screen", {**parts, "dialect": "pyspark"}, ("criteria",))
    assert key != sqlcache.key("checked", parts, ("criteria",))
    assert key != sqlcache.key("screen", parts, ("criteria", "prescreen"))


def test_off_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCLEROCELL_PRESCREEN_CACHE", "off")
    assert sqlcache.folder() is None
    built: list[int] = []
    for _ in range(2):
        sqlcache.cached("screen", {}, ("criteria",), lambda: str(built.append(1)))
    assert len(built) == 2


def test_a_next_run_reads_the_compiled_sql_and_gives_the_same_result(
    warehouse: Summary,
    index_date: dt.date,
    result: PrescreenResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCLEROCELL_PRESCREEN_CACHE", str(tmp_path))
    monkeypatch.setattr(run, "_COMPILED", {})  # the process's own copy

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("compiled in this process, or again instead of read from the cache")

    # A first run: the criteria are compiled by a process of their own (not this one's
    # compile_screen), which keeps them on disk.
    monkeypatch.setattr(run, "compile_screen", refuse)
    first = prescreen(warehouse.out, index_date, exact_top=0)
    assert sorted(p.name.split("-")[0] for p in tmp_path.iterdir()) == ["checked", "screen"]

    monkeypatch.setattr(run, "_COMPILED", {})
    monkeypatch.setattr(to_facts, "checked_rows", refuse)
    again = prescreen(warehouse.out, index_date, exact_top=0)
    for one in (first, again):
        assert one.statuses.equals(result.statuses)
        assert one.funnel.equals(result.funnel)
        assert one.rejects.equals(result.rejects)
        assert one.facts == result.facts
