"""POST /fr/audit/participant/<id>/export.csv — the same rows as the page, and the export is
itself recorded in the audit trail."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest

from sclerocell.web.audit.presentation import CSV_COLUMNS
from sclerocell.web.trial import actions
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas

from .conftest import Trail, new_recipient


def url(participant: Participant) -> str:
    return f"/fr/audit/participant/{participant.pk}/export.csv"


@pytest.fixture
def corrected(personas: Personas) -> Participant:
    participant = new_recipient(personas)
    return actions.update_participant(
        participant, by=personas.investigator_a, reason="=1+1 typo", sex="M"
    )


def rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_it_exports_one_line_per_changed_field(personas: Personas, corrected: Participant) -> None:
    response = personas.client(personas.monitor_a).post(url(corrected))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="audit-{corrected.code}-' in response["Content-Disposition"]
    lines = rows(response.content)
    assert list(lines[0]) == list(CSV_COLUMNS)
    created = [line for line in lines if line["operation"] == "insert"]
    assert {line["field"] for line in created} >= {"code", "sex", "birth_year", "site_id"}
    [change] = [line for line in lines if line["operation"] == "update" and line["field"] == "sex"]
    assert (change["old_value"], change["new_value"]) == ("F", "M")
    assert change["user"] == "investigator_a"
    assert change["role"] == "investigator"
    assert change["action"] == "update_participant"
    assert change["reason"] == "'=1+1 typo"  # a spreadsheet formula is neutralised
    assert change["occurred_at_utc"].endswith("+00:00")
    assert change["occurred_at_local"][-6:] in ("+01:00", "+02:00")
    assert len(change["hash"]) == 64


def test_the_export_is_recorded_in_the_audit_trail(
    personas: Personas, corrected: Participant, trail: Trail
) -> None:
    trail.mark()
    client = personas.client(personas.monitor_a)
    client.defaults["REMOTE_ADDR"] = "10.9.8.7"

    response = client.post(url(corrected), HTTP_USER_AGENT="Inspector/1.0")

    [event] = trail.new()
    assert (event.table_name, event.operation) == ("audit_export", "insert")
    assert (event.actor_username, event.action) == ("monitor_a", "export_audit_trail")
    assert event.participant_pk == corrected.pk
    assert (event.origin_address, event.origin_user_agent) == ("10.9.8.7", "Inspector/1.0")
    assert event.new["sha256"] == hashlib.sha256(response.content).hexdigest()
    assert event.new["row_count"] == len(rows(response.content))


def test_the_next_export_lists_the_previous_one(personas: Personas, corrected: Participant) -> None:
    client = personas.client(personas.monitor_a)
    client.post(url(corrected))

    lines = rows(client.post(url(corrected)).content)

    assert {line["action"] for line in lines if line["table"] == "audit_export"} == {
        "export_audit_trail"
    }


def test_it_is_not_served_on_get(personas: Personas, corrected: Participant) -> None:
    assert personas.client(personas.monitor_a).get(url(corrected)).status_code == 405


def test_another_sites_participant_is_not_exported(
    personas: Personas, corrected: Participant, trail: Trail
) -> None:
    trail.mark()
    assert personas.client(personas.investigator_b).post(url(corrected)).status_code == 404
    assert trail.new() == []


def test_a_role_without_the_audit_permission_cannot_export(
    personas: Personas, corrected: Participant
) -> None:
    assert personas.client(personas.statistician).post(url(corrected)).status_code == 403


def test_the_csv_button_is_on_the_page(personas: Personas) -> None:
    participant = new_recipient(personas)
    html = personas.client(personas.investigator_a).get(f"/fr/audit/participant/{participant.pk}/")
    assert f'action="{url(participant)}"' in html.content.decode()
