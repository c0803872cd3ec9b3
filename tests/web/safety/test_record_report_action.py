"""actions.record_report: when each report was sent, by whom it may be recorded."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sclerocell.web.safety import actions
from sclerocell.web.safety.models import SafetyReport
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.safety.conftest import INFUSED, at, event, serious

DAY = datetime.timedelta(days=1)
SENT = at(INFUSED + 20 * DAY, 18)


def test_the_investigator_records_the_notification_to_the_sponsor(
    recipient: Participant, personas: Personas
) -> None:
    sae = serious(recipient, personas.investigator_a)
    report = actions.record_report(
        sae, by=personas.investigator_a, kind="sponsor_notification", sent_at=SENT
    )
    assert (report.kind, report.sent_at) == ("sponsor_notification", SENT)


def test_only_pharmacovigilance_records_a_susar_report(
    recipient: Participant, personas: Personas
) -> None:
    sae = serious(recipient, personas.investigator_a)
    with pytest.raises(PermissionDenied):
        actions.record_report(sae, by=personas.investigator_a, kind="susar_initial", sent_at=SENT)
    report = actions.record_report(
        sae, by=personas.pharmacovigilance_a, kind="susar_initial", sent_at=SENT, reference="EV-1"
    )
    assert report.reference == "EV-1"


def test_a_report_the_event_does_not_call_for_is_refused(
    recipient: Participant, personas: Personas
) -> None:
    sae = serious(recipient, personas.investigator_a, expectedness="expected")
    with pytest.raises(ValidationError) as refused:
        actions.record_report(
            sae, by=personas.pharmacovigilance_a, kind="susar_initial", sent_at=SENT
        )
    assert "kind" in refused.value.message_dict


def test_a_non_serious_event_is_not_reported(recipient: Participant, personas: Personas) -> None:
    minor = event(recipient, personas.nurse_a)
    with pytest.raises(ValidationError):
        actions.record_report(
            minor, by=personas.investigator_a, kind="sponsor_notification", sent_at=SENT
        )


def test_a_report_before_the_investigator_knew_is_refused(
    recipient: Participant, personas: Personas
) -> None:
    sae = serious(recipient, personas.investigator_a)
    with pytest.raises(ValidationError) as refused:
        actions.record_report(
            sae, by=personas.investigator_a, kind="sponsor_notification", sent_at=SENT - 2 * DAY
        )
    assert "sent_at" in refused.value.message_dict


def test_the_follow_up_report_comes_after_the_initial_one(
    recipient: Participant, personas: Personas
) -> None:
    sae = serious(recipient, personas.investigator_a, grade=4, seriousness=["life_threatening"])
    pv = personas.pharmacovigilance_a
    with pytest.raises(ValidationError) as refused:
        actions.record_report(sae, by=pv, kind="susar_follow_up", sent_at=SENT)
    assert "kind" in refused.value.message_dict
    actions.record_report(sae, by=pv, kind="susar_initial", sent_at=SENT)
    follow_up = actions.record_report(sae, by=pv, kind="susar_follow_up", sent_at=SENT + 8 * DAY)
    assert follow_up.kind == "susar_follow_up"


def test_a_correction_needs_a_reason(recipient: Participant, personas: Personas) -> None:
    sae = serious(recipient, personas.investigator_a)
    inv = personas.investigator_a
    actions.record_report(sae, by=inv, kind="sponsor_notification", sent_at=SENT)
    with pytest.raises(ValidationError) as refused:
        actions.record_report(sae, by=inv, kind="sponsor_notification", sent_at=SENT + DAY)
    assert "reason" in refused.value.message_dict
    corrected = actions.record_report(
        sae, by=inv, kind="sponsor_notification", sent_at=SENT + DAY, reason="Heure du fax"
    )
    assert (corrected.sent_at, corrected.version) == (SENT + DAY, 2)
    assert SafetyReport.objects.count() == 1
