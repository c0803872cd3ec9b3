"""The demo trial's follow-up: visits, forms in every life-cycle state, queries, a response."""

from __future__ import annotations

import io

from django.core.management import call_command

from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.followup.casebook import load_casebook
from sclerocell.web.followup.models import FORM_MODELS, FormStatus, Query, Visit
from sclerocell.web.followup.response import patient_response


def test_the_demo_has_follow_up_in_every_state(db: None) -> None:
    call_command("demo", stdout=io.StringIO())
    statuses = {s for m in FORM_MODELS.values() for s in m.objects.values_list("status", flat=True)}
    assert statuses == set(FormStatus.values)
    assert {v.code for v in Visit.objects.all()} == {"BL", "M3", "M6", "M12"}
    assert Query.objects.filter(status="open").exclude(rule="").exists()
    assert Query.objects.filter(status="closed", rule="").exists()
    form_events = AuditEvent.objects.filter(table_name__startswith="followup_")
    assert form_events.filter(action="lock_form").exists()
    recipient = Visit.objects.filter(code="M12").order_by("pk").first().participant  # type: ignore[union-attr]
    result = patient_response(load_casebook(recipient, at_least=FormStatus.COMPLETE))
    assert result.baseline is not None and result.baseline.mrss_total is not None
