"""Which models are audited, and how each row leads to its participant.

    @audited(participant="self")          # the row is a participant (recipient or donor)
    @audited(participant="participant")   # the row belongs to the participant in this FK
    @audited()                            # audited, not tied to one participant (e.g. a batch)

The audit app installs database triggers for every registered model (see the audit issue), so
that every write path — save, delete, queryset update/delete, bulk operations, admin, raw SQL —
yields exactly one audit event with old and new values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class AuditSpec:
    model: type[models.Model]
    participant: str | None  # "self", the name of a ForeignKey to the participant, or None


REGISTRY: dict[str, AuditSpec] = {}


def audited[M: type[models.Model]](*, participant: str | None = None) -> Callable[[M], M]:
    def register(model: M) -> M:
        REGISTRY[model._meta.label_lower] = AuditSpec(model, participant)
        return model

    return register
