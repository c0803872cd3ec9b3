"""Running a site's warehouse pre-screen and handing out its files, each recorded in the audit
trail (who ran it or took a copy, when, the SHA-256 of what was produced).

A run writes its outputs to ``<SCLEROCELL_PRESCREEN_DIR>/site-NN/<UTC time>/`` (see
:mod:`sclerocell.prescreen.report`); a lock file keeps two runs of one site apart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from sclerocell.prescreen.run import Population, prescreen
from sclerocell.protocol.screen import Role
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


class AlreadyRunning(RuntimeError):
    """A pre-screen of this site is running."""


@dataclass(frozen=True)
class Run:
    site: int
    folder: Path
    info: dict[str, Any]

    @property
    def started(self) -> str:
        return self.folder.name


def site_folder(site: Site) -> Path:
    return conf.output_root() / f"site-{site.number:02d}"


def latest_run(site: Site) -> Run | None:
    folder = site_folder(site)
    if not folder.is_dir():
        return None
    runs = sorted(p for p in folder.iterdir() if (p / "run.json").is_file())
    if not runs:
        return None
    info = json.loads((runs[-1] / "run.json").read_text(encoding="utf-8"))
    return Run(site.number, runs[-1], info)


def run_prescreen(
    site: Site,
    *,
    by: User,
    index_date: dt.date,
    role: Role = "recipient",
    population: Population = "ssc",
) -> Run:
    """Pre-screen ``site``'s configured warehouse as of ``index_date``."""
    location = conf.warehouses()[site.number]
    folder = site_folder(site)
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / ".running"
    try:
        handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError as exc:
        raise AlreadyRunning(str(site)) from exc
    try:
        os.write(handle, by.username.encode())
        os.close(handle)
        out = folder / timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
        log.info("warehouse pre-screen of site %s by %s as of %s", site.number, by, index_date)
        result = prescreen(
            location,
            index_date,
            out,
            engine=conf.engine(),  # type: ignore[arg-type]  # checked by conf.engine
            role=role,
            population=population,
        )
        info_path = out / "run.json"
        info = json.loads(info_path.read_text(encoding="utf-8"))
        info["requested_by"] = by.username
        info["site"] = site.number
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
        return Run(site.number, out, info)
    finally:
        lock.unlink(missing_ok=True)


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
