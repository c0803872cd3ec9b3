"""A later change of the facts a signature was made on invalidates it, visibly."""

from __future__ import annotations

from sclerocell.web.screening import actions
from sclerocell.web.screening.actions import Reply, Value
from sclerocell.web.screening.models import EligibilitySignature
from sclerocell.web.screening.signatures import state_of
from sclerocell.web.trial import actions as trial_actions
from sclerocell.web.trial.models import Participant
from sclerocell.web.trial.stages import Stage, stage_of
from tests.web.conftest import PASSWORD, Personas
from tests.web.screening.conftest import DAY, Screened, days, sign, url
from tests.web.trial.conftest import new_consent


def fresh(participant: Participant) -> Participant:
    return Participant.objects.get(pk=participant.pk)


def test_a_form_change_after_the_signature_invalidates_it_and_reverts_the_decision(
    screened: Screened, personas: Personas
) -> None:
    sign(screened.recipient, personas.investigator_a)
    assert stage_of(fresh(screened.recipient)) is Stage.ELIGIBLE
    actions.add_measurements(
        screened.recipient,
        by=personas.nurse_a,
        group="labs",
        date=DAY,
        values={"haemoglobin": Value(11.0, "g/dL")},
    )
    signature = EligibilitySignature.objects.get()
    assert signature.invalidated_at is not None
    assert signature.invalidated_by == personas.nurse_a
    assert signature.invalidated_because == "record_screening_measurements"
    recipient = fresh(screened.recipient)
    assert (recipient.eligibility, recipient.eligibility_date) == ("", None)
    assert stage_of(recipient) is Stage.SCREENING


def test_the_page_shows_the_signature_invalid_and_who_changed_what(
    screened: Screened, personas: Personas
) -> None:
    sign(screened.recipient, personas.investigator_a)
    actions.save_findings(
        screened.recipient,
        by=personas.nurse_a,
        section="history",
        replies={"neoplasia_history": Reply("yes", DAY)},
        reason="Compte rendu retrouvé",
    )
    html = personas.client(personas.monitor_a).get(url("overview", screened.recipient))
    text = html.content.decode()
    assert 'data-valid="false"' in text
    assert 'id="changes"' in text
    assert "nurse_a" in text
    assert "record_screening_findings" in text
    assert "Compte rendu retrouvé" in text


def test_a_correction_of_the_participant_invalidates_the_signature(
    screened: Screened, personas: Personas
) -> None:
    sign(screened.recipient, personas.investigator_a)
    trial_actions.update_participant(
        screened.recipient, by=personas.nurse_a, reason="Contrôle du source", birth_month=7
    )
    state = state_of(screened.recipient)
    assert state is not None
    assert not state.valid
    assert state.signature.invalidated_because == "update_participant"
    assert fresh(screened.recipient).eligibility == ""


def test_a_change_the_criteria_do_not_read_keeps_the_signature(
    screened: Screened, personas: Personas
) -> None:
    sign(screened.recipient, personas.investigator_a)
    new_consent(
        screened.recipient, personas.nurse_a, form_version="v2.0", signed_date=DAY + days(400)
    )
    trial_actions.update_participant(
        screened.recipient, by=personas.nurse_a, reason="Précision", screening_date=DAY
    )
    state = state_of(screened.recipient)
    assert state is not None
    assert state.valid
    assert fresh(screened.recipient).eligibility == "eligible"


def test_after_inclusion_the_signature_is_marked_invalid_but_the_decision_stays(
    screened: Screened, personas: Personas
) -> None:
    sign(screened.recipient, personas.investigator_a)
    Participant.objects.filter(pk=screened.recipient.pk).update(inclusion_date=DAY + days(20))
    actions.save_profile(
        screened.recipient, by=personas.nurse_a, social_security="no", reason="Erreur"
    )
    state = state_of(screened.recipient)
    assert state is not None
    assert not state.valid
    assert fresh(screened.recipient).eligibility == "eligible"


def test_the_participant_is_signed_again_on_the_new_data(
    screened: Screened, personas: Personas
) -> None:
    sign(screened.recipient, personas.investigator_a)
    actions.add_measurements(
        screened.recipient,
        by=personas.nurse_a,
        group="labs",
        date=DAY,
        values={"haemoglobin": Value(11.0, "g/dL")},
    )
    client = personas.client(personas.investigator_a)
    response = client.post(
        url("sign", screened.recipient), {"decision": "eligible", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert EligibilitySignature.objects.count() == 2
    state = state_of(screened.recipient)
    assert state is not None
    assert state.valid
    assert fresh(screened.recipient).eligibility == "eligible"


def test_a_donor_ruled_out_by_the_index_date_invalidates_the_recipients_signature(
    screened: Screened, personas: Personas
) -> None:
    decided = DAY + days(5)
    actions.save_profile(screened.recipient, by=personas.nurse_a, index_date=decided)
    actions.record_signature(
        screened.recipient, by=personas.investigator_a, decision="eligible", date=decided
    )
    actions.save_findings(
        screened.donor,
        by=personas.nurse_a,
        section="donor-medical",
        replies={"xylocaine_allergy": Reply("yes", DAY)},
        reason="Allergie signalée",
    )
    actions.record_signature(
        screened.donor, by=personas.investigator_a, decision="not_eligible", date=decided
    )
    state = state_of(screened.recipient)
    assert state is not None
    assert not state.valid
    assert fresh(screened.recipient).eligibility == ""


def test_a_donor_ruled_out_after_the_index_date_leaves_the_recipients_signature(
    screened: Screened, personas: Personas
) -> None:
    """R-I4 is read as of the index date; the inclusion checks the donor of the day."""
    sign(screened.recipient, personas.investigator_a)
    actions.save_findings(
        screened.donor,
        by=personas.nurse_a,
        section="donor-medical",
        replies={"xylocaine_allergy": Reply("yes", DAY)},
        reason="Allergie signalée",
    )
    sign(screened.donor, personas.investigator_a, "not_eligible")
    state = state_of(screened.recipient)
    assert state is not None
    assert state.valid
