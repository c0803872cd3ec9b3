"""The screening log as CSV: site-scoped, and recorded in the audit trail as an export."""

from __future__ import annotations

import csv
import hashlib
import io

from django.urls import reverse

from sclerocell.web.audit.models import AuditEvent, AuditExport
from tests.web.conftest import Personas
from tests.web.screening.conftest import Screened, sign

URL = reverse("screening:log_csv")


def test_the_export_lists_everyone_screened_and_is_recorded_in_the_audit_trail(
    screened: Screened, personas: Personas
) -> None:
    sign(screened.recipient, personas.investigator_a)
    response = personas.client(personas.investigator_a).post(URL)
    assert response.status_code == 200
    content = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [r["code"] for r in rows] == [screened.recipient.code, screened.donor.code]
    assert rows[0]["decision"] == "eligible"
    assert rows[0]["signature_valid"] == "yes"
    assert screened.trial.recipient_b.code not in content
    export = AuditExport.objects.get()
    assert export.participant_pk is None
    assert export.row_count == 2
    assert export.sha256 == hashlib.sha256(content.encode()).hexdigest()
    [event] = AuditEvent.objects.for_row(export)
    assert (event.action, event.actor_username) == ("export_screening_log", "investigator_a")


def test_the_export_is_a_post(screened: Screened, personas: Personas) -> None:
    assert personas.client(personas.investigator_a).get(URL).status_code == 405
    assert not AuditExport.objects.exists()
