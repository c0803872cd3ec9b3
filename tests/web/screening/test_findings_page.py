"""The finding forms (classification, organs, history, donor): present/absent with a date."""

from __future__ import annotations

from typing import Any

from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.screening.models import FindingAnswer
from tests.web.conftest import Personas
from tests.web.screening.conftest import DAY, status_of, url
from tests.web.trial.conftest import Trial

HISTORY = ("neoplasia_history", "active_neoplasia", "myelodysplasia")


def post(personas: Personas, trial: Trial, data: dict[str, str]) -> Any:
    """The history form as posted by the nurse (without the page's stamp: not checked)."""
    return personas.client(personas.nurse_a).post(url("findings_history", trial.recipient_a), data)


def test_answering_absent_decides_a_criterion_that_was_unknown(
    trial: Trial, personas: Personas
) -> None:
    assert status_of(trial.recipient_a, "R-E4") == "unknown"
    data = {f"{code}-answer": "no" for code in HISTORY}
    response = post(personas, trial, {**data, **{f"{c}-date": "2015-03-01" for c in HISTORY}})
    assert response.status_code == 302
    assert status_of(trial.recipient_a, "R-E4") == "not_met"


def test_a_blank_answer_keeps_the_criterion_unknown(trial: Trial, personas: Personas) -> None:
    post(personas, trial, {"neoplasia_history-answer": "no", "active_neoplasia-answer": "no"})
    assert status_of(trial.recipient_a, "R-E4.myelodysplasia") == "unknown"
    assert status_of(trial.recipient_a, "R-E4") == "unknown"


def test_a_present_finding_excludes(trial: Trial, personas: Personas) -> None:
    post(
        personas, trial, {"neoplasia_history-answer": "yes", "neoplasia_history-note": "sein 2009"}
    )
    assert status_of(trial.recipient_a, "R-E4") == "met"


def test_an_answer_without_a_date_is_dated_on_the_index_date(
    trial: Trial, personas: Personas
) -> None:
    post(personas, trial, {"neoplasia_history-answer": "no"})
    assert FindingAnswer.objects.get(code="neoplasia_history").date == DAY


def test_changing_an_entered_answer_needs_a_reason_kept_in_the_audit_trail(
    trial: Trial, personas: Personas
) -> None:
    post(personas, trial, {"neoplasia_history-answer": "no"})
    refused = post(personas, trial, {"neoplasia_history-answer": "yes"})
    assert refused.status_code == 400
    assert refused.context["form"].errors["reason"]
    post(
        personas,
        trial,
        {"neoplasia_history-answer": "yes", "reason": "Compte rendu retrouvé (sein 2009)"},
    )
    row = FindingAnswer.objects.get(code="neoplasia_history")
    assert row.answer == "yes"
    change = AuditEvent.objects.for_row(row).last()
    assert change is not None
    assert change.reason == "Compte rendu retrouvé (sein 2009)"
    assert change.actor_username == personas.nurse_a.username


def test_a_form_opened_before_someone_elses_change_is_refused(
    trial: Trial, personas: Personas
) -> None:
    client = personas.client(personas.nurse_a)
    page = client.get(url("findings_history", trial.recipient_a))
    stamp = page.context["form"].initial["stamp"]
    post(personas, trial, {"neoplasia_history-answer": "no"})
    stale = client.post(
        url("findings_history", trial.recipient_a),
        {"active_neoplasia-answer": "no", "stamp": stamp},
    )
    assert stale.status_code == 400
    assert not FindingAnswer.objects.filter(code="active_neoplasia").exists()


def test_a_note_that_looks_like_an_identifier_is_refused_at_its_field(
    trial: Trial, personas: Personas
) -> None:
    response = post(
        personas,
        trial,
        {"neoplasia_history-answer": "yes", "neoplasia_history-note": "tel 06 12 34 56 78"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["neoplasia_history-note"]
    assert not FindingAnswer.objects.exists()


def test_the_donor_form_is_not_found_for_a_recipient(trial: Trial, personas: Personas) -> None:
    client = personas.client(personas.nurse_a)
    assert client.get(url("findings_donor_medical", trial.recipient_a)).status_code == 404
    assert client.get(url("findings_history", trial.donor_a)).status_code == 404
    assert client.get(url("findings_donor_medical", trial.donor_a)).status_code == 200


def test_a_donors_serologies_decide_d_e2(trial: Trial, personas: Personas) -> None:
    tests = ("hiv_serology", "htlv_serology", "hbs_antigen", "hcv_serology", "syphilis_serology")
    pcr = ("hiv_pcr", "hcv_pcr", "hbv_pcr")
    data = {f"{c}-answer": "no" for c in tests + pcr}
    client = personas.client(personas.nurse_a)
    client.post(url("findings_donor_medical", trial.donor_a), {**data, "hbs_antigen-answer": "yes"})
    assert status_of(trial.donor_a, "D-E2.hbs_antigen") == "met"
    assert status_of(trial.donor_a, "D-E2") == "met"
