"""Keep the reason for the end of participation on the participant (``end_reason``).

Until now the reason was only in the audit trail. The data step copies it from there: for each
ended participant, the reason of the last audit event that set their ``end_date`` (the
``end_participation`` action always gave one). A participant whose trail holds no such reason
keeps a blank field.
"""

import json
from typing import Any

from django.db import migrations, models

import sclerocell.web.trial.identityguard

PARTICIPANT_TABLE = "trial_participant"


def reason_from_trail(events: Any, participant_pk: int) -> str:
    """The reason of the last update of the participant's row that changed ``end_date``."""
    rows = events.objects.filter(
        table_name=PARTICIPANT_TABLE, row_pk=str(participant_pk), operation="update"
    ).order_by("-seq")
    for row in rows.only("changed_fields", "reason"):
        changed = json.loads(row.changed_fields) if row.changed_fields else []
        if "end_date" in changed:
            return str(row.reason or "").strip()
    return ""


def backfill(apps: Any, schema_editor: Any) -> None:
    from sclerocell.web.audit.context import audit_scope

    participant = apps.get_model("trial", "Participant")
    events = apps.get_model("audit", "AuditEvent")
    ended = participant.objects.filter(end_date__isnull=False, end_reason="").order_by("pk")
    found = {row: reason_from_trail(events, row) for row in ended.values_list("pk", flat=True)}
    found = {pk: reason for pk, reason in found.items() if reason}
    if not found:
        return
    with audit_scope(
        by=None,
        reason="Migration trial 0004: reason for the end of participation copied from the trail",
        action="backfill_end_reason",
    ):
        for pk, reason in found.items():
            participant.objects.filter(pk=pk).update(end_reason=reason)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_audit_trail"),
        ("trial", "0003_backfill_inclusion_ranks"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="end_reason",
            field=models.TextField(
                blank=True,
                validators=[sclerocell.web.trial.identityguard.refuse_identifiers],
                verbose_name="reason for the end of participation",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
