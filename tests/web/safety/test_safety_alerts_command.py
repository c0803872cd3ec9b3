"""`sclerocell safety-alerts`: overdue clocks listed, and each alert mailed once per level."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from sclerocell.web.safety import actions
from sclerocell.web.safety.alerts import send_overdue_alerts
from sclerocell.web.safety.models import AdverseEvent, SafetyAlert
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.safety.conftest import make_safety, serious

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
Capture = Callable[..., Any]


@pytest.fixture
def addresses(personas: Personas) -> None:
    for user in personas.all_users():
        user.email = f"{user.username}@example.org"
        user.save()


@pytest.fixture
def sae(recipient: Participant, personas: Personas, addresses: None) -> AdverseEvent:
    """Serious, expected: only the 24 h sponsor clock, due at 10:00 the day after onset."""
    return serious(recipient, personas.investigator_a, expectedness="expected")


def deadline(event: AdverseEvent) -> datetime.datetime:
    assert event.investigator_aware_at is not None
    return event.investigator_aware_at + 24 * HOUR


def run(capture: Capture, *args: str) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("safety_alerts", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_lists_the_overdue_clocks(
    sae: AdverseEvent, django_capture_on_commit_callbacks: Capture
) -> None:
    output = run(django_capture_on_commit_callbacks, "--dry-run")
    assert f"OVERDUE {sae.participant.code} AE 1 sponsor_notification" in output
    assert mail.outbox == []


def test_an_overdue_clock_alerts_the_responsible_people_once(
    sae: AdverseEvent, django_capture_on_commit_callbacks: Capture
) -> None:
    when = deadline(sae) + HOUR
    with django_capture_on_commit_callbacks(execute=True):
        send_overdue_alerts(now=when)
    with django_capture_on_commit_callbacks(execute=True):
        send_overdue_alerts(now=when + HOUR)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == [
        "investigator_a@example.org",
        "pharmacovigilance_a@example.org",
    ]
    assert sae.participant.code in message.subject
    assert "EN RETARD" in message.body and "OVERDUE" in message.body
    assert SafetyAlert.objects.get().sent_at == when


def test_a_clock_still_within_its_deadline_sends_nothing(
    sae: AdverseEvent, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run_result = send_overdue_alerts(now=deadline(sae) - HOUR)
    assert run_result.overdue == [] and mail.outbox == []


def test_the_escalation_a_day_later_alerts_once_more_with_the_monitors(
    sae: AdverseEvent, django_capture_on_commit_callbacks: Capture
) -> None:
    for hours in (1, 30, 31):
        with django_capture_on_commit_callbacks(execute=True):
            send_overdue_alerts(now=deadline(sae) + hours * HOUR)
    assert len(mail.outbox) == 2
    assert "monitor_a@example.org" in mail.outbox[1].to
    assert "monitor_a@example.org" not in mail.outbox[0].to
    assert sorted(SafetyAlert.objects.values_list("level", flat=True)) == [1, 2]


def test_a_susar_clock_alerts_pharmacovigilance_only(
    recipient: Participant,
    personas: Personas,
    addresses: None,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    susar = serious(recipient, personas.investigator_a)
    assert susar.investigator_aware_at is not None
    actions.record_report(
        susar,
        by=personas.investigator_a,
        kind="sponsor_notification",
        sent_at=susar.investigator_aware_at + HOUR,
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_overdue_alerts(now=susar.investigator_aware_at + 16 * DAY)
    assert [m.to for m in mail.outbox] == [["pharmacovigilance_a@example.org"]]


def test_a_reported_clock_is_not_alerted(
    sae: AdverseEvent, personas: Personas, django_capture_on_commit_callbacks: Capture
) -> None:
    actions.record_report(
        sae, by=personas.investigator_a, kind="sponsor_notification", sent_at=deadline(sae)
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_overdue_alerts(now=deadline(sae) + DAY)
    assert mail.outbox == []


def test_without_any_address_the_alert_waits_for_the_next_run(
    recipient: Participant, personas: Personas, django_capture_on_commit_callbacks: Capture
) -> None:
    sae = serious(recipient, personas.investigator_a, expectedness="expected")
    with django_capture_on_commit_callbacks(execute=True):
        first = send_overdue_alerts(now=deadline(sae) + HOUR)
    assert len(first.without_recipient) == 1 and mail.outbox == []
    personas.investigator_a.email = "investigator_a@example.org"
    personas.investigator_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        send_overdue_alerts(now=deadline(sae) + 2 * HOUR)
    assert [m.to for m in mail.outbox] == [["investigator_a@example.org"]]


def test_a_mail_the_backend_refuses_is_sent_at_the_next_run(
    sae: AdverseEvent,
    django_capture_on_commit_callbacks: Capture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.core.mail import EmailMessage

    original = EmailMessage.send

    def refuse(self: EmailMessage, fail_silently: bool = False) -> int:
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        send_overdue_alerts(now=deadline(sae) + HOUR)
    assert SafetyAlert.objects.get().sent_at is None
    monkeypatch.setattr(EmailMessage, "send", original)
    with django_capture_on_commit_callbacks(execute=True):
        send_overdue_alerts(now=deadline(sae) + 2 * HOUR)
    assert len(mail.outbox) == 1


def test_the_command_says_how_many_alerts_it_sent(
    sae: AdverseEvent, django_capture_on_commit_callbacks: Capture
) -> None:
    assert "1 alert(s) sent." in run(django_capture_on_commit_callbacks)
    assert "0 alert(s) sent." in run(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_a_clock_found_long_overdue_gets_one_escalated_mail(
    sae: AdverseEvent, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        send_overdue_alerts(now=deadline(sae) + 3 * DAY)
    assert len(mail.outbox) == 1
    assert "monitor_a@example.org" in mail.outbox[0].to
    assert sorted(SafetyAlert.objects.values_list("level", flat=True)) == [1, 2]


def test_other_sites_staff_are_not_alerted(
    personas: Personas, addresses: None, django_capture_on_commit_callbacks: Capture
) -> None:
    data = make_safety(personas)
    assert data.event_b.investigator_aware_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        send_overdue_alerts(now=data.event_b.investigator_aware_at + 25 * HOUR)
    recipients = {address for message in mail.outbox for address in message.to}
    assert "investigator_b@example.org" in recipients
    assert "investigator_a@example.org" in recipients  # site A's own event
    site_b = [m for m in mail.outbox if data.recipient_b.code in m.subject]
    assert all("investigator_a@example.org" not in m.to for m in site_b)
