"""Give every participant included before 0002 a rank and (recipients) a dose cohort.

Ranks follow the inclusion date (then the row id); the counters take the number included, so
the next inclusion continues the sequence instead of starting over and over-enrolling.
"""

from typing import Any

from django.db import migrations

# The protocol's escalation (sclerocell.product.dosing defaults), frozen as of this migration.
LEVELS = ((1, 1, 10, 1e6), (2, 11, 20, 3e6))


def level_of(rank: int) -> tuple[int, float]:
    for level, first, last, cells in LEVELS:
        if first <= rank <= last:
            return level, cells
    level, _first, _last, cells = LEVELS[-1]
    return level, cells


def backfill(apps: Any, schema_editor: Any) -> None:
    participant = apps.get_model("trial", "Participant")
    enrolment = apps.get_model("trial", "Enrolment")
    counter = apps.get_model("trial", "InclusionCounter")
    for kind in ("recipient", "donor"):
        included = participant.objects.filter(
            kind=kind, inclusion_date__isnull=False, enrolment__isnull=True
        ).order_by("inclusion_date", "pk")
        taken = enrolment.objects.filter(kind=kind).count()
        rank = taken
        for row in included:
            rank += 1
            level, cells = level_of(rank) if kind == "recipient" else (None, None)
            enrolment.objects.create(
                participant=row,
                kind=kind,
                rank=rank,
                dose_level=level,
                target_cells_per_kg=cells,
                frame_version="v1",
            )
        if rank:
            counter.objects.update_or_create(kind=kind, defaults={"last_rank": rank})


class Migration(migrations.Migration):
    dependencies = [("trial", "0002_donor_selection_inclusion_ranks_study_frame")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
