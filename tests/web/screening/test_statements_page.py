"""The investigator's statements (R-I3a, R-I3e, R-E3, R-E10; donors D-E2): who and when."""

from __future__ import annotations

import datetime

from django.utils import timezone

from sclerocell.web.screening.models import StatementAnswer
from tests.web.conftest import Personas
from tests.web.screening.conftest import status_of, url
from tests.web.trial.conftest import Trial


def test_an_investigator_answers_and_the_statement_records_who_and_when(
    trial: Trial, personas: Personas
) -> None:
    assert status_of(trial.recipient_a, "R-E3") == "not_assessable"
    response = personas.client(personas.investigator_a).post(
        url("statements", trial.recipient_a),
        {
            "uncontrolled_psychiatric_disorder-answer": "no",
            "poor_compliance_risk-answer": "no",
            "poor_compliance_risk-date": "2015-03-02",
        },
    )
    assert response.status_code == 302
    assert status_of(trial.recipient_a, "R-E3") == "not_met"
    assert status_of(trial.recipient_a, "R-E10") == "not_met"
    psy = StatementAnswer.objects.get(code="uncontrolled_psychiatric_disorder")
    assert psy.answered_by == personas.investigator_a
    assert psy.answered_on == timezone.localdate()
    compliance = StatementAnswer.objects.get(code="poor_compliance_risk")
    assert compliance.answered_on == datetime.date(2015, 3, 2)


def test_the_page_shows_who_answered(trial: Trial, personas: Personas) -> None:
    client = personas.client(personas.investigator_a)
    client.post(url("statements", trial.recipient_a), {"poor_compliance_risk-answer": "no"})
    page = client.get(url("statements", trial.recipient_a)).content.decode()
    assert personas.investigator_a.username in page


def test_a_nurse_cannot_record_a_statement(trial: Trial, personas: Personas) -> None:
    client = personas.client(personas.nurse_a)
    assert client.get(url("statements", trial.recipient_a)).status_code == 403
    refused = client.post(
        url("statements", trial.recipient_a), {"poor_compliance_risk-answer": "no"}
    )
    assert refused.status_code == 403
    assert not StatementAnswer.objects.exists()


def test_a_donor_is_asked_about_other_contraindications(trial: Trial, personas: Personas) -> None:
    client = personas.client(personas.investigator_a)
    client.post(url("statements", trial.donor_a), {"donation_contraindication_other-answer": "no"})
    assert status_of(trial.donor_a, "D-E2.other") == "not_met"


def test_another_investigator_saving_the_page_unchanged_keeps_who_answered(
    trial: Trial, personas: Personas
) -> None:
    from sclerocell.web.accounts.roles import Role
    from tests.web.conftest import make_user

    colleague = make_user("investigator_a2", Role.INVESTIGATOR, personas.site_a)
    personas.client(personas.investigator_a).post(
        url("statements", trial.recipient_a), {"poor_compliance_risk-answer": "no"}
    )
    client = personas.client(colleague)
    initial = client.get(url("statements", trial.recipient_a)).context["form"].initial
    data = {key: value for key, value in initial.items() if value is not None}
    assert client.post(url("statements", trial.recipient_a), data).status_code == 302
    assert StatementAnswer.objects.get().answered_by == personas.investigator_a
