"""Plain JSON-ready values from the analysis objects (dataclasses, enums, dates, mappings).

Used twice: for the canonical serialisation of a snapshot (its hash) and for exporting results.
Floats are kept as floats (``json`` writes their shortest ``repr``, so the text is stable);
a non-finite float becomes ``None`` in results — the dataset itself never holds one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date
from enum import Enum

__all__ = ["JsonValue", "jsonable"]

type JsonValue = bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None


def _key(value: object) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def jsonable(value: object) -> JsonValue:
    """``value`` as nested dicts, lists, strings, numbers, booleans and ``None``."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {_key(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, tuple | list | frozenset | set):
        items = [jsonable(v) for v in value]
        if isinstance(value, frozenset | set):
            items.sort(key=repr)
        return items
    raise TypeError(f"cannot serialise {type(value).__name__}")
