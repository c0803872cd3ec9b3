"""Running a site's warehouse pre-screen and handing out its files, each recorded in the audit
trail (who ran it or took a copy, when, the SHA-256 of what was produced).

A run writes its outputs to ``<SCLEROCELL_PRESCREEN_DIR>/site-NN/<UTC time>/`` (see
:mod:`sclerocell.prescreen.report`); a lock file keeps two runs of one site apart.

The page only *starts* a run (:func:`start_prescreen`): the folder gets a ``status.json``
(``started`` → ``finished`` or ``failed``, with UTC times, the error of a failure and the id of
the process doing the work) and the screen itself runs in the background —
``SCLEROCELL_PRESCREEN_RUNNER``: ``subprocess`` (default: ``sclerocell run-site-prescreen
FOLDER`` in a process of its own, which survives the request) or ``inline`` (in the caller, for
tests). :func:`execute` does the work, records it in the audit trail and releases the lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from sclerocell.prescreen.concept_map import ConceptMapError
from sclerocell.prescreen.omop import SourceError
from sclerocell.prescreen.run import Population, prescreen
from sclerocell.prescreen.warehouse import locate
from sclerocell.protocol.screen import Role, Screening
from sclerocell.web.accounts.models import Site, User
from sclerocell.web.audit.context import audit_scope
from sclerocell.web.audit.models import AuditExport

from . import conf

log = logging.getLogger("sclerocell.prescreen")
FILES = (
    "funnel.csv",
    "eligible.csv",
    "to_confirm.csv",
    "rejects.csv",
    "summary.fr.html",
    "summary.en.html",
)
STATUS_FILE = "status.json"
LOCK_FILE = ".running"
State = Literal["started", "finished", "failed"]
# Errors of the warehouse itself (shown as "could not be read"); any other is a failure.
SOURCE_ERRORS = (SourceError, ConceptMapError, OSError)
Runner = Callable[[Path], None]


class AlreadyRunning(RuntimeError):
    """A pre-screen of this site is running."""


@dataclass(frozen=True)
class Run:
    site: int
    folder: Path
    info: dict[str, Any]  # run.json (empty until the run has finished)
    status: dict[str, Any] = field(default_factory=dict)

    @property
    def started(self) -> str:
        return self.folder.name

    @property
    def state(self) -> State:
        """``finished`` for a run written by ``sclerocell prescreen`` (no status file); a run
        whose process is gone without a word is ``failed``."""
        if self.info:
            return "finished"
        state: State = self.status.get("state", "failed")
        if state == "started" and not _alive(self.status.get("pid")):
            return "failed"
        return state


def _now() -> str:
    return timezone.now().isoformat(timespec="seconds")


def _alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_status(folder: Path, **changes: Any) -> dict[str, Any]:
    """Update the run's status file (written whole, then renamed: never half a file)."""
    status = {**_read(folder / STATUS_FILE), **changes}
    tmp = folder / f".{STATUS_FILE}.tmp"
    tmp.write_text(json.dumps(status, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder / STATUS_FILE)
    return status


def site_folder(site: Site) -> Path:
    return conf.output_root() / f"site-{site.number:02d}"


def _load(site: int, folder: Path) -> Run:
    return Run(site, folder, _read(folder / "run.json"), _read(folder / STATUS_FILE))


def _runs(site: Site) -> list[Path]:
    folder = site_folder(site)
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_dir() and ((p / "run.json").is_file() or (p / STATUS_FILE).is_file())
    )


def latest_run(site: Site) -> Run | None:
    """The site's latest finished run (the one whose summary and files are shown)."""
    for folder in reversed(_runs(site)):
        if (folder / "run.json").is_file():
            return _load(site.number, folder)
    return None


def latest_attempt(site: Site) -> Run | None:
    """The site's latest run, whatever its state."""
    runs = _runs(site)
    return _load(site.number, runs[-1]) if runs else None


RUN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def find_run(site: Site, name: str) -> Run | None:
    """A finished run of ``site`` by its folder name (None for anything else)."""
    if not RUN_NAME.match(name or ""):
        return None
    folder = site_folder(site) / name
    if not (folder / "run.json").is_file():
        return None
    return _load(site.number, folder)


def _young(lock: Path, seconds: float = 60.0) -> bool:
    """A lock just taken (its run's status may not be written yet)."""
    import time

    try:
        return time.time() - lock.stat().st_mtime < seconds
    except OSError:
        return False


def _lock(folder: Path, run_name: str) -> Path:
    """Take the site's lock; a lock left by a run that is no longer running is taken over."""
    lock = folder / LOCK_FILE
    for _ in range(2):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError as exc:
            holder = lock.read_text(encoding="utf-8").strip() if lock.exists() else ""
            held = folder / holder if holder and RUN_NAME.match(holder) else None
            if held is None or _load(0, held).state == "started" or _young(lock):
                raise AlreadyRunning(str(folder)) from exc
            lock.unlink(missing_ok=True)
            continue
        os.write(handle, run_name.encode())
        os.close(handle)
        return lock
    raise AlreadyRunning(str(folder))


def runner() -> Runner:
    value: Any = getattr(django_settings, "SCLEROCELL_PRESCREEN_RUNNER", None)
    value = value or os.environ.get("SCLEROCELL_PRESCREEN_RUNNER") or "subprocess"
    if callable(value):
        return value  # type: ignore[no-any-return]
    if value == "inline":
        return inline
    if value == "subprocess":
        return in_a_process
    raise ImproperlyConfigured(
        f"SCLEROCELL_PRESCREEN_RUNNER={value!r}: 'subprocess' or 'inline' expected"
    )


def inline(folder: Path) -> None:
    """The run in the caller (tests: deterministic, finished when the request returns)."""
    execute(folder)


def in_a_process(folder: Path) -> None:
    """``sclerocell run-site-prescreen FOLDER`` in a process of its own (its own session: it
    outlives the request and the web worker); its output goes to ``FOLDER/log.txt``."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": django_settings.SETTINGS_MODULE}
    with (folder / "log.txt").open("ab") as out:
        subprocess.Popen(  # noqa: S603 — our own command, arguments not from the user
            [sys.executable, "-m", "sclerocell.cli", "run-site-prescreen", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )


def start_prescreen(
    site: Site,
    *,
    by: User,
    index_date: dt.date,
    role: Role = "recipient",
    population: Population = "ssc",
    run: Runner | None = None,
) -> Run:
    """Start a pre-screen of ``site``'s configured warehouse as of ``index_date``: its folder
    and status (``started``) now, the screen in the background (``run``, by default
    :func:`runner`). A warehouse that is not there at all is refused at once (``SourceError``)."""
    location = conf.warehouses()[site.number]
    locate(location)
    start = run or runner()
    folder = site_folder(site)
    folder.mkdir(parents=True, exist_ok=True)
    name = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    lock = _lock(folder, name)
    out = folder / name
    try:
        out.mkdir()
        _write_status(
            out,
            state="started",
            started_at=_now(),
            finished_at=None,
            site=site.number,
            requested_by=by.username,
            index_date=index_date.isoformat(),
            role=role,
            population=population,
            location=location,
            engine=conf.engine(),
            pid=os.getpid(),
            error=None,
            error_kind=None,
        )
        log.info("warehouse pre-screen of site %s by %s as of %s", site.number, by, index_date)
    except BaseException:
        lock.unlink(missing_ok=True)
        raise
    try:
        start(out)
    except Exception as exc:  # the background could not even start
        _fail(out, exc)
        lock.unlink(missing_ok=True)
    return _load(site.number, out)


def _fail(folder: Path, exc: BaseException) -> None:
    kind = "source" if isinstance(exc, SOURCE_ERRORS) else "other"
    _write_status(folder, state="failed", finished_at=_now(), error=str(exc), error_kind=kind)


def execute(folder: Path) -> Run:
    """Do the work of a started run: screen, complete ``run.json``, record it in the audit
    trail, mark it ``finished`` (or ``failed`` with the error), release the site's lock."""
    status = _write_status(folder, pid=os.getpid())
    site = int(status["site"])
    lock = folder.parent / LOCK_FILE
    try:
        by = User.objects.get(username=status["requested_by"])
        result = prescreen(
            status["location"],
            dt.date.fromisoformat(status["index_date"]),
            folder,
            engine=status["engine"],
            role=status["role"],
            population=status["population"],
        )
        info_path = folder / "run.json"
        info = json.loads(info_path.read_text(encoding="utf-8"))
        info["requested_by"] = by.username
        info["site"] = site
        content = json.dumps(info, indent=2, ensure_ascii=False)
        info_path.write_text(content, encoding="utf-8")
        with audit_scope(by=by, action="run_warehouse_prescreen"):
            AuditExport.objects.create(
                participant_pk=None,
                format="omop",
                row_count=result.population,
                last_seq=None,
                sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
            )
        _write_status(folder, state="finished", finished_at=_now())
    except Exception as exc:
        log.exception("warehouse pre-screen of site %s failed", site)
        (folder / "run.json").unlink(missing_ok=True)
        _fail(folder, exc)
    finally:
        if lock.exists() and lock.read_text(encoding="utf-8").strip() == folder.name:
            lock.unlink(missing_ok=True)
    return _load(site, folder)


def record_download(run: Run, name: str, content: bytes, *, by: User) -> None:
    """A copy of a pre-screen file in the audit trail."""
    with audit_scope(by=by, action="export_warehouse_prescreen"):
        AuditExport.objects.create(
            participant_pk=None,
            format=name.rsplit(".", 1)[-1][:8],
            row_count=max(content.count(b"\n") - 1, 0),
            last_seq=None,
            sha256=hashlib.sha256(content).hexdigest(),
        )


def record_explanation(run: Run, screening: Screening, *, by: User) -> None:
    """One person's explanation read from a run, in the audit trail (the SHA-256 of the
    result as JSON)."""
    content = json.dumps(screening.to_dict(), sort_keys=True, ensure_ascii=False)
    with audit_scope(by=by, action="explain_warehouse_prescreen"):
        AuditExport.objects.create(
            participant_pk=None,
            format="explain",
            row_count=1,
            last_seq=None,
            sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        )
