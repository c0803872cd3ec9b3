"""Ending a participation keeps what was collected: visits, forms and adverse events stay listed."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import translation

from sclerocell.web.followup import actions as followup_actions
from sclerocell.web.trial import actions
from tests.web.conftest import Personas
from tests.web.followup.conftest import VITALS
from tests.web.product import factories
from tests.web.safety.conftest import event
from tests.web.trial.conftest import Trial

D = datetime.date


def test_visits_forms_and_adverse_events_stay_listed_after_a_withdrawal(
    trial: Trial, personas: Personas
) -> None:
    recipient = factories.infused(personas, trial.recipient_a)
    nurse, investigator = personas.nurse_a, personas.investigator_a
    visit = followup_actions.record_visit(recipient, by=nurse, code="M1", visit_date=D(2015, 5, 15))
    followup_actions.save_form(visit, "vitals", by=nurse, values=VITALS)
    ae = event(recipient, investigator, grade=2, onset_date=D(2015, 5, 2), end_date=D(2015, 5, 6))
    for consent in recipient.consents.filter(withdrawn_date__isnull=True):
        actions.withdraw_consent(
            consent, by=investigator, date=D(2015, 6, 1), reason="Withdrew consent in writing"
        )
    actions.end_participation(
        recipient,
        by=investigator,
        date=D(2015, 6, 1),
        cause="withdrawal",
        reason="Withdrew consent in writing; data collected stay",
    )
    client = personas.client(personas.monitor_a)
    with translation.override("en"):
        urls = {
            "detail": reverse("trial:participant_detail", args=[recipient.code]),
            "visits": reverse("followup:visit_list", args=[recipient.code]),
            "visit": reverse("followup:visit_detail", args=[recipient.code, visit.pk]),
            "form": reverse("followup:form", args=[recipient.code, visit.pk, "vitals"]),
            "events": reverse("safety:participant_events", args=[recipient.code]),
        }
        pages = {name: client.get(address) for name, address in urls.items()}
    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(urls, 200)
    content = {name: page.content.decode() for name, page in pages.items()}
    assert "Withdrew consent in writing; data collected stay" in content["detail"]
    assert urls["visit"] in content["visits"]
    assert urls["form"] in content["visit"]
    systolic = re.search(r'id="field-systolic_bp">.*?</tr>', content["form"], re.S)
    assert systolic is not None and re.search(r"\b120\b", systolic.group(0))
    assert ae.term in content["events"]
