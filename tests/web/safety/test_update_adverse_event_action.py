"""actions.update_adverse_event: a correction with its reason, checked like an entry."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.safety import actions
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.safety.conftest import DEATH_NOS, INFUSED, NAUSEA, at, event


def test_it_corrects_the_grade_with_a_reason_kept_in_the_audit_trail(
    recipient: Participant, personas: Personas
) -> None:
    recorded = event(recipient, personas.nurse_a)
    corrected = actions.update_adverse_event(
        recorded, by=personas.investigator_a, reason="Grade revu sur le dossier source", grade=2
    )
    assert (corrected.grade, corrected.version) == (2, 2)
    change = AuditEvent.objects.for_row(corrected).last()
    assert change is not None
    assert (change.action, change.reason) == (
        "update_adverse_event",
        "Grade revu sur le dossier source",
    )


def test_a_correction_without_a_reason_is_refused(
    recipient: Participant, personas: Personas
) -> None:
    recorded = event(recipient, personas.nurse_a)
    with pytest.raises(ValidationError) as refused:
        actions.update_adverse_event(recorded, by=personas.investigator_a, reason=" ", grade=2)
    assert "reason" in refused.value.message_dict


def test_changing_the_term_checks_the_grade_against_the_new_term(
    recipient: Participant, personas: Personas
) -> None:
    recorded = event(recipient, personas.nurse_a, grade=4, end_date=INFUSED)
    with pytest.raises(ValidationError) as refused:
        actions.update_adverse_event(
            recorded, by=personas.investigator_a, reason="Terme recodé", meddra_code=NAUSEA
        )
    assert list(refused.value.message_dict) == ["grade"]
    recorded.refresh_from_db()
    assert recorded.term == "Infusion related reaction"


def test_a_stale_form_is_refused(recipient: Participant, personas: Personas) -> None:
    recorded = event(recipient, personas.nurse_a)
    actions.update_adverse_event(recorded, by=personas.nurse_a, reason="Grade revu", grade=2)
    with pytest.raises(ValidationError) as refused:
        actions.update_adverse_event(
            recorded, by=personas.nurse_a, reason="Autre", grade=3, expected_version=1
        )
    assert refused.value.error_dict["__all__"][0].code == "stale"


def test_a_correction_that_makes_the_event_fatal_ends_the_participation(
    recipient: Participant, personas: Personas
) -> None:
    day = INFUSED + datetime.timedelta(days=100)
    recorded = event(
        recipient,
        personas.investigator_a,
        meddra_code=DEATH_NOS,
        grade=5,
        onset_date=day,
        end_date=day,
        outcome="fatal",
        relation_to_msc="not_related",
        seriousness=["death"],
        investigator_aware_at=at(day),
        death_cause="Accident de la voie publique.",
    )
    with pytest.raises(ValidationError) as refused:
        actions.update_adverse_event(
            recorded, by=personas.investigator_a, reason="Erreur", outcome="recovered"
        )
    assert "outcome" in refused.value.message_dict
    recipient.refresh_from_db()
    assert recipient.end_cause == "death"
