"""A pre-screen started from the page runs in the background: its folder says started, then
finished or failed (with the error, in the user's language); the page shows the state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from sclerocell.web.audit.models import AuditExport
from sclerocell.web.warehouse import actions
from tests.web.conftest import Personas
from tests.web.warehouse.conftest import INDEX

URL = reverse("warehouse:prescreen")


class Held:
    """A runner that only remembers the folders it was given (the run stays ``started``)."""

    def __init__(self) -> None:
        self.folders: list[Path] = []

    def __call__(self, folder: Path) -> None:
        self.folders.append(folder)


@pytest.fixture
def held(settings: Any) -> Held:
    runner = Held()
    settings.SCLEROCELL_PRESCREEN_RUNNER = runner
    return runner


def start(client: Any, site: int = 1) -> Any:
    return client.post(
        URL,
        {"site": site, "index_date": INDEX.isoformat(), "role": "recipient", "population": "ssc"},
    )


def status(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "status.json").read_text(encoding="utf-8"))
    return data


def test_a_started_run_is_shown_running_then_finished_by_the_background_command(
    personas: Personas, configured: Path, held: Held
) -> None:
    client = personas.client(personas.nurse_a)
    assert start(client).status_code == 302
    (folder,) = held.folders
    started = status(folder)
    assert started["state"] == "started" and started["started_at"]
    assert started["finished_at"] is None and started["requested_by"] == "nurse_a"
    assert (configured / "site-01" / ".running").read_text() == folder.name

    html = client.get("/en" + URL[3:], {"site": 1}).content.decode()
    assert 'data-run-state="started"' in html
    assert '<meta http-equiv="refresh"' in html
    assert "Pre-screen running since" in html
    assert AuditExport.objects.filter(format="omop").count() == 0

    call_command("run_site_prescreen", str(folder))

    finished = status(folder)
    assert finished["state"] == "finished"
    assert finished["finished_at"] >= finished["started_at"]
    assert (folder / "run.json").exists()
    assert not (configured / "site-01" / ".running").exists()
    assert AuditExport.objects.filter(format="omop").count() == 1
    html = client.get("/en" + URL[3:], {"site": 1}).content.decode()
    assert "data-run-state" not in html and "http-equiv" not in html
    assert 'data-criterion="R-I1"' in html


def test_a_run_that_fails_in_the_background_is_shown_failed_with_the_error_translated(
    personas: Personas, configured: Path, settings: Any, tmp_path: Path
) -> None:
    empty = tmp_path / "empty-warehouse"
    empty.mkdir()
    (empty / "measurement.csv").write_text("measurement_id\n", encoding="utf-8")
    settings.SCLEROCELL_WAREHOUSES = {1: str(empty)}
    client = personas.client(personas.nurse_a)
    assert start(client).status_code == 302

    (folder,) = [p for p in (configured / "site-01").iterdir() if p.is_dir()]
    failed = status(folder)
    assert failed["state"] == "failed" and failed["finished_at"]
    assert "no person table" in failed["error"]
    assert not (folder / "run.json").exists()
    assert not (configured / "site-01" / ".running").exists()
    assert AuditExport.objects.count() == 0

    french = client.get(URL, {"site": 1}).content.decode()
    assert 'data-run-state="failed"' in french
    assert "L&#x27;entrepôt n&#x27;a pas pu être lu" in french and "no person table" in french
    english = client.get("/en" + URL[3:], {"site": 1}).content.decode()
    assert "The warehouse could not be read" in english
    assert "http-equiv" not in english


def test_an_unexpected_failure_is_shown_as_a_failed_pre_screen(
    personas: Personas, configured: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("engine out of memory")

    monkeypatch.setattr(actions, "prescreen", broken)
    client = personas.client(personas.nurse_a)
    assert start(client).status_code == 302
    html = client.get("/en" + URL[3:], {"site": 1}).content.decode()
    assert "The pre-screen failed: engine out of memory" in html
    html = client.get(URL, {"site": 1}).content.decode()
    assert "La pré-sélection a échoué : engine out of memory" in html


def test_a_second_run_of_a_site_is_refused_while_one_is_running(
    personas: Personas, configured: Path, held: Held
) -> None:
    client = personas.client(personas.nurse_a)
    assert start(client).status_code == 302
    second = start(client)
    assert second.status_code == 400
    assert "déjà en cours" in second.content.decode()
    assert len(held.folders) == 1


def test_a_run_whose_process_died_shows_as_failed_and_does_not_block_the_next(
    personas: Personas, configured: Path, held: Held
) -> None:
    client = personas.client(personas.nurse_a)
    start(client)
    (folder,) = held.folders
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    actions._write_status(folder, pid=gone.pid)
    lock = configured / "site-01" / ".running"
    os.utime(lock, (0, 0))  # an old lock, left by the dead process

    html = client.get("/en" + URL[3:], {"site": 1}).content.decode()
    assert 'data-run-state="failed"' in html
    assert "The pre-screen stopped before it finished." in html
    assert start(client).status_code == 302
    assert len(held.folders) == 2


def test_the_default_runner_starts_the_command_in_a_process_of_its_own(
    personas: Personas, configured: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SCLEROCELL_PRESCREEN_RUNNER = None
    started: list[tuple[list[str], dict[str, Any]]] = []

    def popen(args: list[str], **kwargs: Any) -> None:
        started.append((args, kwargs))

    monkeypatch.setattr(actions.subprocess, "Popen", popen)
    assert start(personas.client(personas.nurse_a)).status_code == 302
    ((args, kwargs),) = started
    (folder,) = [p for p in (configured / "site-01").iterdir() if p.is_dir()]
    assert args[1:] == ["-m", "sclerocell.cli", "run-site-prescreen", str(folder)]
    assert kwargs["start_new_session"] is True
    assert kwargs["env"]["DJANGO_SETTINGS_MODULE"] == settings.SETTINGS_MODULE
    assert status(folder)["state"] == "started"


def test_a_runner_that_cannot_start_marks_the_run_failed_and_frees_the_site(
    personas: Personas, configured: Path, settings: Any
) -> None:
    def refused(folder: Path) -> None:
        raise OSError("no more processes")

    settings.SCLEROCELL_PRESCREEN_RUNNER = refused
    client = personas.client(personas.nurse_a)
    assert start(client).status_code == 302
    (folder,) = [p for p in (configured / "site-01").iterdir() if p.is_dir()]
    assert status(folder)["state"] == "failed"
    assert not (configured / "site-01" / ".running").exists()
