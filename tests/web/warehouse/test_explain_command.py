"""``sclerocell prescreen --explain PERSON_ID --out DIR``: one person's verdict tree from a
finished run, printed as ``sclerocell screen`` prints it, or as JSON."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from sclerocell.prescreen.run import explain
from sclerocell.protocol.screen_cli import render
from tests.web.warehouse.conftest import Warehouse


def someone(run: Path) -> str:
    return str(pq.read_table(run / "to_confirm.parquet").column("person_id")[0].as_py())


def explained(run: Path, *args: str) -> str:
    out = StringIO()
    call_command("prescreen", "--out", str(run), *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_it_prints_the_verdict_tree_as_the_screen_command_does(
    tiny_warehouse: Warehouse, lang: str
) -> None:
    person = someone(tiny_warehouse.run)
    text = explained(tiny_warehouse.run, "--explain", person, "--lang", lang)
    screening = explain(tiny_warehouse.run, person)
    assert text.splitlines()[:4] == render(screening, lang).splitlines()[:4]  # type: ignore[arg-type]
    assert ("Verdict :" if lang == "fr" else "Verdict:") in text
    for _depth, node in screening.result.walk():
        assert node.id in text


def test_the_language_follows_the_environment_by_default(
    tiny_warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert "CRITÈRE" in explained(tiny_warehouse.run, "--explain", someone(tiny_warehouse.run))


def test_json_is_the_full_result_of_the_one_by_one_screen(tiny_warehouse: Warehouse) -> None:
    person = someone(tiny_warehouse.run)
    data = json.loads(explained(tiny_warehouse.run, "--explain", person, "--json"))
    assert data == json.loads(json.dumps(explain(tiny_warehouse.run, person).to_dict()))
    assert data["role"] == "recipient" and data["index_date"] == "2024-06-15"


def test_a_person_not_screened_or_a_folder_without_a_run_is_a_clear_error(
    tiny_warehouse: Warehouse, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="was not screened"):
        explained(tiny_warehouse.run, "--explain", "999999999")
    with pytest.raises(CommandError, match="not the folder of a finished pre-screen"):
        call_command("prescreen", "--out", str(tmp_path), "--explain", "1")


def test_a_screen_still_needs_its_warehouse_and_date(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--omop and --index-date required"):
        call_command("prescreen", "--out", str(tmp_path))
