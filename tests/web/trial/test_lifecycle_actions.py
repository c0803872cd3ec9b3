"""Eligibility, inclusion, infusion and end of participation."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from sclerocell.clinical import ctcae
from sclerocell.web.audit.context import audit_scope
from sclerocell.web.safety.models import AdverseEvent
from sclerocell.web.trial import actions
from sclerocell.web.trial.models import Participant
from sclerocell.web.trial.stages import Stage, stage_of
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.safety.conftest import DEATH_NOS, fatal
from tests.web.trial.conftest import SCREENED, Trial, included

D = datetime.date


def test_a_new_recipient_is_in_screening(trial: Trial) -> None:
    assert stage_of(trial.recipient_a) is Stage.SCREENING


def test_it_records_a_screen_failure(trial: Trial, personas: Personas) -> None:
    recipient = actions.record_eligibility(
        trial.recipient_a, by=personas.investigator_a, eligibility="not_eligible", date=SCREENED
    )
    assert stage_of(recipient) is Stage.SCREEN_FAILURE


def test_a_nurse_cannot_sign_eligibility(trial: Trial, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        actions.record_eligibility(
            trial.recipient_a, by=personas.nurse_a, eligibility="eligible", date=SCREENED
        )


def test_changing_a_decision_needs_a_reason(trial: Trial, personas: Personas) -> None:
    by = personas.investigator_a
    decided = actions.record_eligibility(
        trial.recipient_a, by=by, eligibility="not_eligible", date=SCREENED
    )
    with pytest.raises(ValidationError) as error:
        actions.record_eligibility(decided, by=by, eligibility="eligible", date=SCREENED)
    assert "reason" in error.value.message_dict
    changed = actions.record_eligibility(
        decided, by=by, eligibility="eligible", date=SCREENED, reason="mRSS re-read: 16"
    )
    assert changed.eligibility == "eligible"


def test_it_rejects_a_decision_before_the_screening(trial: Trial, personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        actions.record_eligibility(
            trial.recipient_a,
            by=personas.investigator_a,
            eligibility="eligible",
            date=SCREENED - datetime.timedelta(days=1),
        )
    assert "date" in error.value.message_dict


def test_it_includes_an_eligible_consenting_recipient(trial: Trial, personas: Personas) -> None:
    recipient = included(trial.recipient_a, personas.investigator_a)
    assert stage_of(recipient) is Stage.ENROLLED


def test_it_refuses_to_include_without_a_consent_in_force(trial: Trial, personas: Personas) -> None:
    by = personas.investigator_a
    actions.withdraw_consent(trial.consent_a, by=by, date=SCREENED, reason="Withdrew")
    eligible = actions.record_eligibility(
        trial.recipient_a, by=by, eligibility="eligible", date=SCREENED
    )
    with pytest.raises(ValidationError) as error:
        actions.enrol(eligible, by=by, date=SCREENED + datetime.timedelta(days=2))
    assert "date" in error.value.message_dict


def test_it_refuses_to_include_a_participant_not_found_eligible(
    trial: Trial, personas: Personas
) -> None:
    with pytest.raises(ValidationError):
        actions.enrol(trial.recipient_a, by=personas.investigator_a, date=SCREENED)


def test_the_infusion_record_puts_the_recipient_in_follow_up(
    trial: Trial, personas: Personas
) -> None:
    infused = factories.infused(personas, trial.recipient_a)
    assert infused.infusion_date == D(2015, 4, 15)
    assert stage_of(infused) is Stage.FOLLOW_UP


def _infused(trial: Trial, personas: Personas) -> object:
    return factories.infused(personas, trial.recipient_a)


@pytest.mark.parametrize(
    ("cause", "stage"),
    [
        ("withdrawal", Stage.WITHDRAWN),
        ("lost_to_follow_up", Stage.LOST_TO_FOLLOW_UP),
    ],
)
def test_it_ends_a_participation_for_each_cause_other_than_death(
    trial: Trial, personas: Personas, cause: str, stage: Stage
) -> None:
    recipient = _infused(trial, personas)
    ended = actions.end_participation(
        recipient,  # type: ignore[arg-type]
        by=personas.investigator_a,
        date=D(2016, 1, 10),
        cause=cause,
        reason="Reported at the M9 visit",
    )
    assert stage_of(ended) is stage


def test_the_reason_for_the_end_is_kept_on_the_participant(
    trial: Trial, personas: Personas
) -> None:
    ended = actions.end_participation(
        trial.recipient_a,
        by=personas.investigator_a,
        date=D(2015, 4, 1),
        cause="withdrawal",
        reason="  Consent withdrawn in writing  ",
    )
    ended.refresh_from_db()
    assert ended.end_reason == "Consent withdrawn in writing"


def test_a_death_without_its_grade_5_adverse_event_is_refused_at_the_cause(
    trial: Trial, personas: Personas
) -> None:
    recipient = _infused(trial, personas)
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            actions.end_participation(
                recipient,  # type: ignore[arg-type]
                by=personas.investigator_a,
                date=D(2016, 1, 10),
                cause="death",
                reason="Reported by the family",
            )
        messages = error.value.message_dict["cause"]
    assert "Record the death as a grade 5 adverse event, with its cause" in messages[0]
    assert Participant.objects.get(pk=trial.recipient_a.pk).end_date is None


def test_a_fatal_adverse_event_ends_the_participation_for_death_with_its_cause(
    trial: Trial, personas: Personas
) -> None:
    recipient = _infused(trial, personas)
    fatal(recipient, personas.investigator_a, D(2016, 1, 10))  # type: ignore[arg-type]
    ended = Participant.objects.get(pk=trial.recipient_a.pk)
    assert (ended.end_cause, ended.end_date) == ("death", D(2016, 1, 10))
    assert stage_of(ended) is Stage.DECEASED
    assert "Right ventricular failure" in ended.end_reason


def test_a_death_is_dated_by_its_fatal_adverse_event(trial: Trial, personas: Personas) -> None:
    recipient = _infused(trial, personas)
    # A grade 5 event entered outside the safety action (which would end the participation).
    with audit_scope(by=None, reason="test: a fatal event not yet acted on", action="test"):
        AdverseEvent.objects.create(
            participant=recipient,
            number=1,
            meddra_code=DEATH_NOS,
            term=ctcae.get_term(DEATH_NOS).term,
            soc=ctcae.get_term(DEATH_NOS).soc,
            grade=5,
            onset_date=D(2016, 1, 8),
            end_date=D(2016, 1, 10),
            outcome="fatal",
            relation_to_msc="unlikely",
            serious_death=True,
            investigator_aware_at=datetime.datetime(2016, 1, 10, 12, tzinfo=datetime.UTC),
            death_cause="Right ventricular failure",
        )
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            actions.end_participation(
                recipient,  # type: ignore[arg-type]
                by=personas.investigator_a,
                date=D(2016, 1, 12),
                cause="death",
                reason="x",
            )
    assert error.value.message_dict == {
        "date": ["The fatal adverse event no. 1 dates the death on 2016-01-10."]
    }
    ended = actions.end_participation(
        recipient,  # type: ignore[arg-type]
        by=personas.investigator_a,
        date=D(2016, 1, 10),
        cause="death",
        reason="Death NOS",
    )
    assert stage_of(ended) is Stage.DECEASED


def test_a_recipient_completes_the_study_two_years_after_the_infusion(
    trial: Trial, personas: Personas
) -> None:
    recipient = _infused(trial, personas)
    kwargs = {"by": personas.investigator_a, "cause": "completed", "reason": "M24 visit done"}
    with pytest.raises(ValidationError) as error:
        actions.end_participation(recipient, date=D(2016, 4, 15), **kwargs)  # type: ignore[arg-type]
    assert "date" in error.value.message_dict
    ended = actions.end_participation(recipient, date=D(2017, 4, 1), **kwargs)  # type: ignore[arg-type]
    assert stage_of(ended) is Stage.COMPLETED


def test_ending_needs_a_reason(trial: Trial, personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        actions.end_participation(
            trial.recipient_a,
            by=personas.investigator_a,
            date=D(2015, 4, 1),
            cause="withdrawal",
            reason="",
        )
    assert "reason" in error.value.message_dict


def test_it_refuses_an_end_before_the_last_date(trial: Trial, personas: Personas) -> None:
    recipient = _infused(trial, personas)
    with pytest.raises(ValidationError) as error:
        actions.end_participation(
            recipient,  # type: ignore[arg-type]
            by=personas.investigator_a,
            date=D(2015, 4, 14),
            cause="withdrawal",
            reason="x",
        )
    assert "date" in error.value.message_dict


def test_nothing_more_happens_after_the_end(trial: Trial, personas: Personas) -> None:
    by = personas.investigator_a
    ended = actions.end_participation(
        trial.recipient_a, by=by, date=D(2015, 4, 1), cause="withdrawal", reason="x"
    )
    with pytest.raises(ValidationError):
        actions.record_eligibility(ended, by=by, eligibility="eligible", date=D(2015, 4, 1))
    with pytest.raises(ValidationError):
        actions.end_participation(ended, by=by, date=D(2015, 4, 2), cause="death", reason="x")


def test_a_nurse_cannot_end_a_participation(trial: Trial, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        actions.end_participation(
            trial.recipient_a,
            by=personas.nurse_a,
            date=D(2015, 4, 1),
            cause="withdrawal",
            reason="x",
        )
