"""Run an export and record it: the one action of this app.

:func:`export` reads the participants it is given (already scoped by the caller) inside one
read-only transaction — on PostgreSQL ``REPEATABLE READ, READ ONLY``, so every format sees the
same snapshot and none can write — writes each format's files, zips them with a manifest, and
then, in an ``audit_scope``, inserts one :class:`~.models.DataExport` row (who, format, cut-off,
sites, SHA-256 of the zip). That row is the only write of an export.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from sclerocell.web.audit.context import audit_scope
from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.trial.models import Participant

from . import extract, formats
from .models import DataExport

MANIFEST = "MANIFEST.json"


@dataclass(frozen=True)
class ExportResult:
    record: DataExport
    zip_path: Path
    files: list[Path]


@contextmanager
def read_only_snapshot() -> Iterator[None]:
    """One transaction for the whole read; read-only and repeatable on PostgreSQL."""
    if connection.in_atomic_block:
        # Inside a caller's transaction (a test, ATOMIC_REQUESTS): read in it.
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _zip(folder: Path, target: Path, moment: datetime.datetime) -> None:
    stamp = moment.astimezone(datetime.UTC).timetuple()[:6]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(str(path.relative_to(folder.parent)), date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def export(
    participants: QuerySet[Participant],
    *,
    by: Any,
    format_code: str,
    cutoff: datetime.date,
    out_dir: Path,
    trial_wide: bool = False,
) -> ExportResult:
    """Export ``participants`` (already scoped) in ``format_code`` (or ``all``) to ``cutoff``.

    ``by`` is the requesting user, or ``None`` for the system (a command). Writes the files
    under ``out_dir/<name>/`` and the zip ``out_dir/<name>.zip``; records the export.
    """
    chosen = formats.selected(format_code)
    missing = [f.code for f in chosen if not f.available]
    if missing:
        raise formats.FormatUnavailableError(", ".join(missing))
    now = timezone.now()
    name = f"sclerocell-{format_code}-{cutoff:%Y%m%d}-{now:%Y%m%dT%H%M%SZ}"
    for attempt in range(2, 100):  # two exports in the same second into one folder
        if not (out_dir / name).exists() and not (out_dir / f"{name}.zip").exists():
            break
        name = f"{name.rsplit('~', 1)[0]}~{attempt}"
    folder = out_dir / name
    folder.mkdir(parents=True, exist_ok=False)
    files: list[Path] = []
    try:
        with read_only_snapshot():
            last_seq = AuditEvent.objects.aggregate(last=Max("seq"))["last"]
            site_numbers = sorted(set(participants.values_list("site__number", flat=True)))
            count = participants.count()
            request = formats.Request(participants, cutoff, now, file_oid=name)
            for export_format in chosen:
                files += export_format.write(folder / export_format.code, request)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # nothing half-written is left behind
        raise
    manifest = {
        "export": name,
        "format": format_code,
        "formats": [f.code for f in chosen],
        "cutoff": cutoff.isoformat(),
        "created_utc": now.astimezone(datetime.UTC).isoformat(),
        "requested_by": by.get_username() if by is not None else "system",
        "sites": [f"{n:02d}" for n in site_numbers],
        "trial_wide": trial_wide,
        "participants": count,
        "last_audit_seq": last_seq,
        "software_version": extract.software_version(),
        "files": {str(p.relative_to(folder)): _sha256(p) for p in sorted(files)},
    }
    (folder / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    zip_path = out_dir / f"{name}.zip"
    _zip(folder, zip_path, now)
    with audit_scope(by=by, action="export_data"):
        record = DataExport.objects.create(
            requested_by=by,
            format=format_code,
            cutoff=cutoff,
            sites=",".join(f"{n:02d}" for n in site_numbers),
            trial_wide=trial_wide,
            participants=count,
            file_name=zip_path.name,
            size=zip_path.stat().st_size,
            sha256=_sha256(zip_path),
            last_seq=last_seq,
        )
    return ExportResult(record, zip_path, files)
