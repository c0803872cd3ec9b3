"""Which models are audited, and how each row leads to its participant.

    @audited(participant="self")          # the row is a participant (recipient or donor)
    @audited(participant="participant")   # the row belongs to the participant in this FK
    @audited(participant="visit__participant")  # ... through a chain of FKs
    @audited()                            # audited, not tied to one participant (e.g. a batch)

The audit app installs database triggers for every registered model (``triggers``), so that
every write path — save, delete, queryset update/delete, bulk operations, admin, raw SQL —
yields exactly one audit event per row with old and new values.

``bookkeeping`` names the fields the application maintains itself (an optimistic-lock version,
a last-modified stamp): changing one of them never calls for a reason. By default these are
the fields declared ``editable=False`` (other than the primary key) — nobody enters them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Hop:
    """Follow one foreign key: ``SELECT fk_column FROM table WHERE pk_column = value``."""

    table: str
    pk_field: models.Field[Any, Any]
    fk_column: str

    @property
    def pk_column(self) -> str:
        return _column(self.pk_field)


@dataclass(frozen=True)
class ParticipantPath:
    """Where a row's participant id is: a column of the row, then zero or more hops."""

    column: str
    hops: tuple[Hop, ...] = ()


@dataclass(frozen=True)
class AuditSpec:
    model: type[models.Model]
    participant: str | None  # "self", a field (usually a ForeignKey) name or path, or None
    bookkeeping: frozenset[str] | None = field(default=None)  # field names; None = default

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def pk_column(self) -> str:
        return _column(self.model._meta.pk)

    def columns(self) -> list[str]:
        """The table's columns, in the model's field order."""
        return [_column(f) for f in self.model._meta.concrete_fields]

    def bookkeeping_columns(self) -> list[str]:
        opts = self.model._meta
        if self.bookkeeping is not None:
            return sorted(_column(opts.get_field(name)) for name in self.bookkeeping)
        return sorted(
            _column(f) for f in opts.concrete_fields if not f.editable and not f.primary_key
        )

    def participant_path(self) -> ParticipantPath | None:
        """Resolve ``participant`` against the model's metadata (raises on a bad spec)."""
        if self.participant is None:
            return None
        if self.participant == "self":
            return ParticipantPath(self.pk_column)
        names = self.participant.split("__")
        first: Any = self.model._meta.get_field(names[0])
        column = _column(first)
        hops: list[Hop] = []
        for name in names[1:]:
            target: Any = first.related_model
            if target is None or isinstance(target, str):
                raise ValueError(f"{self.model.__name__}: {self.participant!r} is not a FK path")
            following: Any = target._meta.get_field(name)
            hops.append(Hop(target._meta.db_table, first.target_field, _column(following)))
            first = following
        return ParticipantPath(column, tuple(hops))


def _column(field: Any) -> str:
    """The database column of a concrete field (the stubs allow None for non-concrete ones)."""
    column = getattr(field, "column", None)
    if not isinstance(column, str):
        raise ValueError(f"{field!r} has no database column")
    return column


REGISTRY: dict[str, AuditSpec] = {}


def audited[M: type[models.Model]](
    *, participant: str | None = None, bookkeeping: Iterable[str] | None = None
) -> Callable[[M], M]:
    def register(model: M) -> M:
        REGISTRY[model._meta.label_lower] = AuditSpec(
            model, participant, None if bookkeeping is None else frozenset(bookkeeping)
        )
        return model

    return register


def spec_for_table(table: str) -> AuditSpec | None:
    for spec in REGISTRY.values():
        if spec.table == table:
            return spec
    return None


def participant_model() -> type[models.Model] | None:
    """The model registered with ``participant="self"`` (the trial's Participant), if any."""
    for spec in REGISTRY.values():
        if spec.participant == "self":
            return spec.model
    return None
