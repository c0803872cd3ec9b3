"""The follow-up HTTP API: the same access functions and actions as the pages."""

from __future__ import annotations

import datetime
import json

from django.test import Client

from sclerocell.web.followup import actions
from sclerocell.web.followup.models import Visit
from tests.web.conftest import Personas
from tests.web.followup.conftest import VITALS, FollowUp, enter, mrss_sites, through
from tests.web.trial.conftest import bearer


def form_path(visit: Visit, form: str) -> str:
    return f"/api/participants/{visit.participant.code}/visits/{visit.pk}/forms/{form}"


def patch(path: str, body: dict[str, object], headers: dict[str, str]) -> object:
    return Client().patch(path, json.dumps(body), content_type="application/json", headers=headers)


def test_it_lists_the_schedule_with_statuses(followup: FollowUp, personas: Personas) -> None:
    followup.visit("M1", datetime.date(2015, 5, 15), by=personas.nurse_a)
    response = Client().get(
        f"/api/participants/{followup.recipient_a.code}/visits", headers=bearer(personas.monitor_a)
    )
    rows = {row["code"]: row for row in response.json()}
    assert rows["M1"]["status"] == "done" and rows["M1"]["visit_date"] == "2015-05-15"
    assert rows["M3"]["status"] == "missed" and rows["M3"]["window_start"] == "2015-07-01"


def test_a_nurse_enters_a_form_and_reads_it_back_with_its_findings(
    followup: FollowUp, personas: Personas
) -> None:
    headers = bearer(personas.nurse_a)
    path = form_path(followup.baseline_a, "pft")
    body = {"values": {"test_date": "2015-04-09", "fvc_percent": 165, "dlco_percent": "48.5"}}
    response = patch(path, body, headers)
    assert response.status_code == 200  # type: ignore[attr-defined]
    data = Client().get(path, headers=headers).json()
    assert data["values"]["fvc_percent"] == 165.0 and data["status"] == "draft"
    assert [(f["field"], f["rule"]) for f in data["findings"]] == [("fvc_percent", "implausible")]


def test_bad_values_are_422_at_their_fields(followup: FollowUp, personas: Personas) -> None:
    response = patch(
        form_path(followup.baseline_a, "vitals"),
        {"values": {"systolic_bp": 400, "weight": "heavy"}},
        bearer(personas.nurse_a),
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert set(response.json()["errors"]) == {"weight"}  # type: ignore[attr-defined]


def test_a_locked_form_refuses_the_api_too(followup: FollowUp, personas: Personas) -> None:
    through(enter(followup.baseline_a, "vitals", personas.nurse_a, **VITALS), personas)
    response = patch(
        form_path(followup.baseline_a, "vitals"),
        {"values": {"spo2": 97}, "reason": "x"},
        bearer(personas.investigator_a),
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "verrouillé" in response.json()["errors"]["__all__"][0]  # type: ignore[attr-defined]


def test_a_monitor_cannot_write_a_form(followup: FollowUp, personas: Personas) -> None:
    response = patch(
        form_path(followup.baseline_a, "vitals"),
        {"values": {"spo2": 97}},
        bearer(personas.monitor_a),
    )
    assert response.status_code == 403  # type: ignore[attr-defined]


def test_the_site_answers_a_query(followup: FollowUp, personas: Personas) -> None:
    form = enter(followup.baseline_a, "mrss", personas.nurse_a, total_reported=20, **mrss_sites(22))
    actions.complete_form(form, by=personas.nurse_a)
    code = followup.recipient_a.code
    headers = bearer(personas.investigator_a)
    [query] = Client().get(f"/api/participants/{code}/queries", headers=headers).json()
    assert query["rule"] == "mrss_total_mismatch" and "(20)" in query["question"]
    response = Client().post(
        f"/api/participants/{code}/queries/{query['id']}/answer",
        json.dumps({"text": "Le total écrit était faux.", "expected_version": 1}),
        content_type="application/json",
        headers=headers,
    )
    assert response.json()["status"] == "answered"


def test_the_response_is_read_per_visit(followup: FollowUp, personas: Personas) -> None:
    baseline = enter(followup.baseline_a, "mrss", personas.nurse_a, **mrss_sites(24))
    actions.complete_form(baseline, by=personas.nurse_a)
    m3 = followup.visit("M3", datetime.date(2015, 7, 15), by=personas.nurse_a)
    actions.complete_form(
        enter(m3, "mrss", personas.nurse_a, **mrss_sites(18)), by=personas.nurse_a
    )
    rows = (
        Client()
        .get(
            f"/api/participants/{followup.recipient_a.code}/response",
            headers=bearer(personas.statistician),
        )
        .json()
    )
    assert [
        (r["visit"], r["mrss"], r["mrss_change_points"], r["mrss_change_percent"]) for r in rows
    ] == [("M3", 18, -6, -25.0)]
    assert rows[0]["mrss_minimal_important_improvement"] is True
    assert rows[0]["acr_criss_exploratory"] is True
