"""actions.record_consent and actions.withdraw_consent."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sclerocell.web.trial import actions
from sclerocell.web.trial.models import Consent
from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial, new_consent, new_donor, new_recipient


def test_it_records_a_consent_for_a_recipient_and_for_a_donor(personas: Personas) -> None:
    recipient = new_recipient(personas.site_a, personas.investigator_a)
    donor = new_donor(recipient, personas.investigator_a)
    new_consent(recipient, personas.nurse_a)
    new_consent(donor, personas.nurse_a, form_version="donneur v1.0")
    assert [c.form_version for c in Consent.objects.order_by("pk")] == [
        "v1.0 of 10/02/2014",
        "donneur v1.0",
    ]


def test_it_keeps_each_form_version_as_its_own_record(trial: Trial, personas: Personas) -> None:
    new_consent(
        trial.recipient_a,
        personas.nurse_a,
        form_version="v2.0",
        signed_date=datetime.date(2016, 1, 4),
    )
    assert trial.recipient_a.consents.count() == 2


def test_it_requires_the_form_version(trial: Trial, personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        new_consent(trial.recipient_a, personas.nurse_a, form_version="  ")
    assert "form_version" in error.value.message_dict


def test_it_rejects_an_e_mail_in_the_form_version(trial: Trial, personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        new_consent(trial.recipient_a, personas.nurse_a, form_version="a.b@aphp.fr")
    assert "form_version" in error.value.message_dict


def test_it_rejects_a_signature_in_the_future(trial: Trial, personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        new_consent(trial.recipient_a, personas.nurse_a, signed_date=datetime.date(2999, 1, 1))
    assert "signed_date" in error.value.message_dict


def test_it_refuses_a_monitor(trial: Trial, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        new_consent(trial.recipient_a, personas.monitor_a)


def test_it_records_a_withdrawal_with_its_reason(trial: Trial, personas: Personas) -> None:
    consent = actions.withdraw_consent(
        trial.consent_a,
        by=personas.investigator_a,
        date=datetime.date(2015, 6, 1),
        reason="Patient withdrew consent by letter",
    )
    assert consent.withdrawn_date == datetime.date(2015, 6, 1)
    assert not consent.is_active


def test_it_requires_a_reason_to_withdraw(trial: Trial, personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        actions.withdraw_consent(
            trial.consent_a, by=personas.investigator_a, date=datetime.date(2015, 6, 1), reason=" "
        )
    assert "reason" in error.value.message_dict
    trial.consent_a.refresh_from_db()
    assert trial.consent_a.withdrawn_date is None


def test_it_rejects_a_withdrawal_before_the_signature(trial: Trial, personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        actions.withdraw_consent(
            trial.consent_a,
            by=personas.investigator_a,
            date=trial.consent_a.signed_date - datetime.timedelta(days=1),
            reason="Typo test",
        )
    assert "date" in error.value.message_dict


def test_it_refuses_to_withdraw_a_consent_twice(trial: Trial, personas: Personas) -> None:
    kwargs = {"by": personas.investigator_a, "date": datetime.date(2015, 6, 1), "reason": "x"}
    consent = actions.withdraw_consent(trial.consent_a, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        actions.withdraw_consent(consent, **kwargs)  # type: ignore[arg-type]


def test_it_refuses_a_stale_withdrawal_form(trial: Trial, personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        actions.withdraw_consent(
            trial.consent_a,
            by=personas.investigator_a,
            date=datetime.date(2015, 6, 1),
            reason="x",
            expected_version=trial.consent_a.version + 1,
        )
    assert [e.code for e in error.value.error_dict["__all__"]] == ["stale"]
