"""Where each site's warehouse is and where pre-screen results go, from Django settings or the
environment (a bad value stops the caller loudly, ``ImproperlyConfigured``).

- ``SCLEROCELL_WAREHOUSES``: site number → warehouse location (a folder of Parquet/CSV files, a
  DuckDB file, or ``postgresql://…?schema=cdm``). In the environment:
  ``SCLEROCELL_WAREHOUSES="1=/data/omop;2=postgresql://reader@edsh/eds?schema=cdm"``.
- ``SCLEROCELL_PRESCREEN_DIR`` (default ``<data dir>/prescreen``): results, one folder per site
  and run.
- ``SCLEROCELL_PRESCREEN_ENGINE`` (default ``duckdb``): ``duckdb`` or ``spark`` (configured by
  the ``SCLEROCELL_SPARK_*`` variables of :mod:`sclerocell.prescreen.spark`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sclerocell.config import ConfigError, env_choice


def _parse(text: str) -> dict[int, str]:
    found: dict[int, str] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        number, sep, location = part.partition("=")
        if not sep or not number.strip().isdigit() or not location.strip():
            raise ImproperlyConfigured(
                f"SCLEROCELL_WAREHOUSES: {part!r} is not <site number>=<location>"
            )
        found[int(number)] = location.strip()
    return found


def warehouses() -> dict[int, str]:
    value: Any = getattr(settings, "SCLEROCELL_WAREHOUSES", None)
    if value is None:
        return _parse(os.environ.get("SCLEROCELL_WAREHOUSES", ""))
    if not isinstance(value, dict) or not all(
        isinstance(k, int) and isinstance(v, str | Path) and str(v) for k, v in value.items()
    ):
        raise ImproperlyConfigured(
            f"SCLEROCELL_WAREHOUSES={value!r}: a dict of site number → location is expected"
        )
    return {k: str(v) for k, v in value.items()}


def output_root() -> Path:
    value: Any = getattr(settings, "SCLEROCELL_PRESCREEN_DIR", None)
    if value is None:
        value = os.environ.get("SCLEROCELL_PRESCREEN_DIR") or Path(settings.DATA_DIR) / "prescreen"
    return Path(value)


def engine() -> str:
    try:
        return env_choice("SCLEROCELL_PRESCREEN_ENGINE", "duckdb", {"duckdb", "spark"})
    except ConfigError as exc:
        raise ImproperlyConfigured(str(exc)) from exc
