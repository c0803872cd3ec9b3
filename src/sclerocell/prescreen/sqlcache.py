"""Compiled SQL kept on disk between runs.

Compiling an ibis expression to SQL is Python work that does not depend on the warehouse's rows:
the criteria tree (~2–3 s) depends on the protocol's version and settings, the role, the index
date and the dialect; the checked rows (~0.5 s) on the concept map, the answers, the refused
units, the types of the warehouse's columns and the dialect. Each is kept in a file named after
the hash of everything it depends on — including the versions of ibis and sqlglot and the
source code of the packages that build the expression — so that a change of any of them is a
new file, never a stale query.

Folder: ``SCLEROCELL_PRESCREEN_CACHE`` (empty or ``off``: nothing kept on disk), by default
``$XDG_CACHE_HOME/sclerocell/prescreen`` (``~/.cache/sclerocell/prescreen``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any


def folder() -> Path | None:
    """Where compiled SQL is kept (``None``: not kept)."""
    value = os.environ.get("SCLEROCELL_PRESCREEN_CACHE")
    if value is not None:
        return None if value.strip().lower() in ("", "off", "0", "no") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sclerocell" / "prescreen"


@lru_cache(maxsize=8)
def fingerprint(packages: tuple[str, ...]) -> str:
    """A hash of the source of these ``sclerocell`` packages."""
    import sclerocell

    digest = hashlib.sha256()
    root = Path(sclerocell.__file__).parent
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def key(kind: str, parts: Mapping[str, Any], packages: tuple[str, ...]) -> str:
    """The hash of what a compiled query depends on."""
    import ibis
    import sqlglot

    everything = {
        "kind": kind,
        **parts,
        "ibis": ibis.__version__,
        "sqlglot": getattr(sqlglot, "__version__", ""),
        "source": fingerprint(packages),
    }
    text = json.dumps(everything, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _path(kind: str, parts: Mapping[str, Any], packages: tuple[str, ...]) -> Path | None:
    where = folder()
    return None if where is None else where / f"{kind}-{key(kind, parts, packages)}.sql"


def lookup(kind: str, parts: Mapping[str, Any], packages: tuple[str, ...]) -> str | None:
    """The SQL kept for (``kind``, ``parts``, the source of ``packages``), if any."""
    path = _path(kind, parts, packages)
    if path is not None:
        with contextlib.suppress(OSError):
            return path.read_text(encoding="utf-8")
    return None


def cached(
    kind: str, parts: Mapping[str, Any], packages: tuple[str, ...], build: Callable[[], str]
) -> str:
    """The SQL kept for (``kind``, ``parts``, the source of ``packages``), or ``build()``'s,
    then kept."""
    path = _path(kind, parts, packages)
    if path is None:
        return build()
    kept = lookup(kind, parts, packages)
    if kept is not None:
        return kept
    sql = build()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
        partial.write_text(sql, encoding="utf-8")
        partial.replace(path)  # atomic: a concurrent run reads no half-written file
    return sql
