"""Synthetic adverse events for the demo trial (called at the end of ``trial.demo.load``).

A handful of events through the actions, on the demo's infused recipients, of every grade from
1 to 5: infusion reactions (grades 1–2), a grade 3 lymphopenia, a serious suspected unexpected
lung infection (a SUSAR) with its reports sent, a life-threatening (grade 4) sepsis from a
digital ulcer, notified to the sponsor in time and assessed not related, the fatal event of the
recipient who died (``record_death``, called by ``trial.demo`` on the day: it ends the
participation), a late basal-cell carcinoma (malignancy list), and one serious event whose
notification to the sponsor was never recorded (an overdue clock). None of them makes the
stopping rule say stop before a level-2 inclusion (the demo's escalation stays consistent).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from sclerocell.web.accounts.models import User
from sclerocell.web.trial.models import EndCause, Participant
from sclerocell.web.trial.studycode import Kind

from . import actions
from .models import AdverseEvent

UTC = datetime.UTC


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _staff(site_number: int) -> tuple[User, User]:
    """The demo investigator and research nurse of a site."""
    letter = "a" if site_number == 1 else "b"
    return (
        User.objects.get(username=f"investigateur.{letter}"),
        User.objects.get(username=f"infirmiere.{letter}"),
    )


def load(log: Callable[[str], None] = lambda _: None) -> None:
    """Record the demo's adverse events (the demo trial must be loaded)."""
    infused = list(
        Participant.objects.filter(kind=Kind.RECIPIENT.value, infusion_date__isnull=False)
        .select_related("site")
        .order_by("infusion_date", "pk")
    )
    if len(infused) < 4:
        return
    pharmacovigilance = User.objects.get(username="pharmacovigilance")
    for number, recipient in enumerate(infused[:3]):
        _infusion_reaction(recipient, grade=1 + number % 2)
    alive = [p for p in infused if p.end_cause != EndCause.DEATH]
    _susar_with_its_reports(alive[1], pharmacovigilance)
    _grade_3_lymphopenia(alive[-1])
    completed = [p for p in alive if p.end_cause == EndCause.COMPLETED]
    if completed:
        _late_carcinoma(completed[0])
        _life_threatening_sepsis(completed[-1], pharmacovigilance)
    following = [p for p in alive if p.end_date is None]
    if following:
        _unreported_serious_event(following[0])
    log(f"{AdverseEvent.objects.count()} adverse events recorded")


def _infusion_reaction(recipient: Participant, grade: int) -> None:
    _investigator, nurse = _staff(recipient.site.number)
    assert recipient.infusion_date is not None  # noqa: S101 — infused recipients only
    actions.record_adverse_event(
        recipient,
        by=nurse,
        meddra_code="10051792",  # Infusion related reaction
        grade=grade,
        onset_date=recipient.infusion_date,
        end_date=recipient.infusion_date,
        outcome="recovered",
        relation_to_msc="probable",
        expectedness="expected",
        action_taken="slowed",
        description="Frissons et fébricule pendant la perfusion ; débit ralenti.",
    )


def _grade_3_lymphopenia(recipient: Participant) -> None:
    investigator, _nurse = _staff(recipient.site.number)
    assert recipient.infusion_date is not None  # noqa: S101
    onset = recipient.infusion_date + _days(30)
    actions.record_adverse_event(
        recipient,
        by=investigator,
        meddra_code="10025256",  # Lymphocyte count decreased
        grade=3,
        onset_date=onset,
        end_date=onset + _days(28),
        outcome="recovered",
        relation_to_msc="possible",
        expectedness="expected",
        description="Lymphopénie à 0,4 G/L au contrôle de J30, normalisée à J58.",
    )


def _susar_with_its_reports(recipient: Participant, pharmacovigilance: User) -> None:
    investigator, _nurse = _staff(recipient.site.number)
    assert recipient.infusion_date is not None  # noqa: S101
    onset = recipient.infusion_date + _days(45)
    aware = _at(onset, 9, 30)
    event = actions.record_adverse_event(
        recipient,
        by=investigator,
        meddra_code="10061229",  # Lung infection
        grade=3,
        onset_date=onset,
        end_date=onset + _days(12),
        outcome="recovered",
        relation_to_msc="possible",
        expectedness="unexpected",
        seriousness=["hospitalisation"],
        investigator_aware_at=aware,
        description="Pneumopathie bactérienne hospitalisée, antibiothérapie IV, guérison.",
    )
    notified = aware + datetime.timedelta(hours=20)
    actions.record_report(event, by=investigator, kind="sponsor_notification", sent_at=notified)
    actions.assess_serious_event(event, by=pharmacovigilance, susar=True, sponsor_aware_at=notified)
    actions.record_report(
        event,
        by=pharmacovigilance,
        kind="susar_initial",
        sent_at=notified + _days(9),
        reference="DEMO-SUSAR-0001",
    )


def record_death(recipient: Participant, died_on: datetime.date) -> AdverseEvent:
    """The fatal event of the recipient who died (called by ``trial.demo`` on the day): recording
    it ends the participation with cause death; then the sponsor's notification and the
    pharmacovigilance assessment."""
    investigator, _nurse = _staff(recipient.site.number)
    pharmacovigilance = User.objects.get(username="pharmacovigilance")
    aware = _at(died_on, 17)
    event = actions.record_adverse_event(
        recipient,
        by=investigator,
        meddra_code="10037400",  # Pulmonary hypertension
        grade=5,
        onset_date=died_on - _days(4),
        end_date=died_on,
        outcome="fatal",
        relation_to_msc="unlikely",
        expectedness="expected",
        seriousness=["death"],
        investigator_aware_at=aware,
        death_cause="Défaillance cardiaque droite sur hypertension pulmonaire de la sclérodermie.",
    )
    actions.record_report(
        event,
        by=investigator,
        kind="sponsor_notification",
        sent_at=aware + datetime.timedelta(hours=3),
    )
    return actions.assess_serious_event(
        event,
        by=pharmacovigilance,
        susar=False,
        reason="Relation improbable : évolution de la maladie.",
    )


def _late_carcinoma(recipient: Participant) -> None:
    investigator, _nurse = _staff(recipient.site.number)
    assert recipient.infusion_date is not None  # noqa: S101
    onset = recipient.infusion_date + _days(540)
    actions.record_adverse_event(
        recipient,
        by=investigator,
        meddra_code="10029104",  # Neoplasms benign, malignant and unspecified - Other, specify
        grade=2,
        onset_date=onset,
        end_date=onset + _days(21),
        outcome="recovered",
        relation_to_msc="unlikely",
        expectedness="unexpected",
        description="Carcinome basocellulaire du dos, exérèse complète.",
    )


def _unreported_serious_event(recipient: Participant) -> None:
    investigator, _nurse = _staff(recipient.site.number)
    assert recipient.infusion_date is not None  # noqa: S101
    onset = recipient.infusion_date + _days(60)
    actions.record_adverse_event(
        recipient,
        by=investigator,
        meddra_code="10040947",  # Skin ulceration
        grade=3,
        onset_date=onset,
        outcome="recovering",
        relation_to_msc="unlikely",
        expectedness="expected",
        seriousness=["hospitalisation"],
        investigator_aware_at=_at(onset, 15),
        description="Ulcère digital surinfecté, hospitalisation pour antibiothérapie IV.",
    )


def _life_threatening_sepsis(recipient: Participant, pharmacovigilance: User) -> None:
    investigator, _nurse = _staff(recipient.site.number)
    assert recipient.infusion_date is not None  # noqa: S101
    onset = recipient.infusion_date + _days(400)
    aware = _at(onset, 22, 15)
    event = actions.record_adverse_event(
        recipient,
        by=investigator,
        meddra_code="10040047",  # Sepsis
        grade=4,
        onset_date=onset,
        end_date=onset + _days(16),
        outcome="recovered",
        relation_to_msc="unlikely",
        expectedness="expected",
        action_taken="not_applicable",
        seriousness=["life_threatening", "hospitalisation"],
        investigator_aware_at=aware,
        description="Sepsis à staphylocoque sur ulcère digital, choc, réanimation, guérison.",
    )
    notified = aware + datetime.timedelta(hours=11)
    actions.record_report(event, by=investigator, kind="sponsor_notification", sent_at=notified)
    actions.assess_serious_event(
        event,
        by=pharmacovigilance,
        susar=False,
        sponsor_aware_at=notified,
        reason="Relation improbable : porte d'entrée cutanée (ulcère digital).",
    )
