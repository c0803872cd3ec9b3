"""actions.record_adverse_event: a CTCAE term and one of its grades, the version, the checks."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.safety.models import AdverseEvent
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.safety.conftest import (
    BASAL_CELL,
    DEATH_NOS,
    FEVER,
    INFUSED,
    LUNG_INFECTION,
    NAUSEA,
    at,
    event,
)


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_it_records_an_event_with_its_term_grade_and_the_ctcae_version(
    recipient: Participant, personas: Personas
) -> None:
    recorded = event(recipient, personas.nurse_a, meddra_code=FEVER, grade=2)
    recorded.refresh_from_db()
    assert (recorded.term, recorded.grade, recorded.ctcae_version) == ("Fever", 2, "5.0")
    assert recorded.soc == "General disorders and administration site conditions"
    assert recorded.number == 1


def test_the_version_of_an_event_graded_under_v4_03_is_kept(
    recipient: Participant, personas: Personas
) -> None:
    recorded = event(recipient, personas.investigator_a, ctcae_version="4.03")
    recorded.refresh_from_db()
    assert recorded.ctcae_version == "4.03"


def test_it_numbers_the_events_of_each_participant(
    recipient: Participant, personas: Personas
) -> None:
    first = event(recipient, personas.investigator_a)
    second = event(recipient, personas.investigator_a, meddra_code=FEVER)
    assert (first.number, second.number) == (1, 2)


def test_a_grade_that_does_not_exist_for_the_term_is_refused_at_the_grade_field(
    recipient: Participant, personas: Personas
) -> None:
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        event(recipient, personas.investigator_a, meddra_code=NAUSEA, grade=4)
    messages = errors_of(refused)
    assert list(messages) == ["grade"]
    assert messages["grade"] == [
        "Le grade 4 n’existe pas pour « Nausea » dans la CTCAE v5.0 : choisissez 1, 2, 3."
    ]
    assert not AdverseEvent.objects.exists()


def test_an_unknown_term_is_refused_at_the_term_field(
    recipient: Participant, personas: Personas
) -> None:
    with pytest.raises(ValidationError) as refused:
        event(recipient, personas.investigator_a, meddra_code="99999999")
    assert "meddra_code" in errors_of(refused)


def test_an_event_graded_under_an_earlier_version_keeps_any_grade_from_1_to_5(
    recipient: Participant, personas: Personas
) -> None:
    recorded = event(
        recipient, personas.investigator_a, meddra_code=NAUSEA, grade=4, ctcae_version="4.03"
    )
    assert recorded.grade == 4


def test_an_event_before_the_infusion_cannot_be_related_to_the_msc(
    recipient: Participant, personas: Personas
) -> None:
    before = INFUSED - datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        event(recipient, personas.investigator_a, onset_date=before, end_date=before)
    assert "relation_to_msc" in errors_of(refused)


def test_an_open_event_has_no_end_date_and_a_resolved_one_needs_it(
    recipient: Participant, personas: Personas
) -> None:
    with pytest.raises(ValidationError) as open_with_end:
        event(recipient, personas.investigator_a, outcome="not_recovered")
    assert "end_date" in errors_of(open_with_end)
    with pytest.raises(ValidationError) as resolved_without_end:
        event(recipient, personas.investigator_a, end_date=None)
    assert "end_date" in errors_of(resolved_without_end)


def test_a_serious_event_needs_the_time_the_investigator_became_aware(
    recipient: Participant, personas: Personas
) -> None:
    with pytest.raises(ValidationError) as refused:
        event(
            recipient,
            personas.investigator_a,
            meddra_code=LUNG_INFECTION,
            grade=3,
            seriousness=["hospitalisation"],
            expectedness="expected",
        )
    assert "investigator_aware_at" in errors_of(refused)


def test_a_serious_suspected_event_needs_its_expectedness(
    recipient: Participant, personas: Personas
) -> None:
    with pytest.raises(ValidationError) as refused:
        event(
            recipient,
            personas.investigator_a,
            grade=3,
            seriousness=["hospitalisation"],
            investigator_aware_at=at(INFUSED),
        )
    assert "expectedness" in errors_of(refused)


def test_a_donors_event_is_assessed_against_the_marrow_harvest_not_the_msc(
    recipient: Participant, personas: Personas
) -> None:
    donor = recipient.donors.get()
    recorded = event(donor, personas.nurse_a, onset_date=donor.screening_date)
    assert recorded.relation_to_procedure == "possible"
    with pytest.raises(ValidationError) as refused:
        event(donor, personas.nurse_a, relation_to_msc="possible")
    assert "relation_to_msc" in errors_of(refused)


def test_a_neoplasm_term_records_its_soc_for_the_malignancy_flag(
    recipient: Participant, personas: Personas
) -> None:
    day = INFUSED + datetime.timedelta(days=400)
    recorded = event(
        recipient,
        personas.investigator_a,
        meddra_code=BASAL_CELL,
        grade=2,
        onset_date=day,
        end_date=day,
        relation_to_msc="unlikely",
    )
    assert recorded.soc.startswith("Neoplasms benign, malignant")


def test_a_fatal_event_ends_the_participation_with_cause_death(
    recipient: Participant, personas: Personas
) -> None:
    day = INFUSED + datetime.timedelta(days=200)
    event(
        recipient,
        personas.investigator_a,
        meddra_code=DEATH_NOS,
        grade=5,
        onset_date=day,
        end_date=day,
        outcome="fatal",
        relation_to_msc="unlikely",
        seriousness=["death"],
        investigator_aware_at=at(day),
        death_cause="Arrêt cardiaque sur cardiopathie sclérodermique.",
    )
    recipient.refresh_from_db()
    assert (recipient.end_cause, recipient.end_date) == ("death", day)
    ended = AuditEvent.objects.filter(action="end_participation", table_name="trial_participant")
    assert ended.count() == 1
    # The event and its cause of death are the reason kept on the participant.
    assert recipient.end_reason.startswith("Décès — événement indésirable n° 1 (")
    assert recipient.end_reason.endswith(": Arrêt cardiaque sur cardiopathie sclérodermique.")


def test_a_nurse_cannot_record_a_death_and_nothing_is_written(
    recipient: Participant, personas: Personas
) -> None:
    day = INFUSED + datetime.timedelta(days=200)
    with pytest.raises(ValidationError) as refused:
        event(
            recipient,
            personas.nurse_a,
            meddra_code=DEATH_NOS,
            grade=5,
            onset_date=day,
            end_date=day,
            outcome="fatal",
            relation_to_msc="unlikely",
            seriousness=["death"],
            investigator_aware_at=at(day),
            death_cause="Arrêt cardiaque.",
        )
    assert "outcome" in errors_of(refused)
    recipient.refresh_from_db()
    assert recipient.end_date is None
    assert not AdverseEvent.objects.exists()


def test_a_fatal_event_needs_the_death_criterion_grade_5_and_a_cause(
    recipient: Participant, personas: Personas
) -> None:
    with pytest.raises(ValidationError) as refused:
        event(recipient, personas.investigator_a, grade=3, outcome="fatal")
    assert {"seriousness", "grade", "death_cause"} <= set(errors_of(refused))


def test_a_monitor_cannot_record_an_event(recipient: Participant, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        event(recipient, personas.monitor_a)
    assert not AdverseEvent.objects.exists()


def test_another_sites_investigator_cannot_record_an_event(
    recipient: Participant, personas: Personas
) -> None:
    with pytest.raises(PermissionDenied):
        event(recipient, personas.investigator_b)


def test_the_entry_is_in_the_audit_trail(recipient: Participant, personas: Personas) -> None:
    recorded = event(recipient, personas.nurse_a)
    trail = AuditEvent.objects.for_row(recorded)
    assert [(e.action, e.operation) for e in trail] == [("record_adverse_event", "insert")]
