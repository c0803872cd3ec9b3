"""The investigator's electronic sign-off: password re-entry, meaning, frozen facts."""

from __future__ import annotations

import hashlib
import json

from sclerocell.protocol.settings import DEFAULT
from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.screening import actions
from sclerocell.web.screening.evaluation import evaluate
from sclerocell.web.screening.inputs import canonical_facts, facts_for
from sclerocell.web.screening.models import EligibilitySignature
from sclerocell.web.trial.models import Participant
from tests.web.conftest import PASSWORD, Personas
from tests.web.screening.conftest import MRSS_20, Screened, sign, url
from tests.web.trial.conftest import Trial


def post(
    personas: Personas, participant: Participant, password: str = PASSWORD, **extra: str
) -> int:
    client = personas.client(personas.investigator_a)
    page = client.get(url("sign", participant))
    decision = page.context["decision"] or ""
    data = {"decision": decision, "password": password, **extra}
    return int(client.post(url("sign", participant), data).status_code)


def test_the_investigator_signs_with_their_password_and_the_participant_becomes_eligible(
    screened: Screened, personas: Personas
) -> None:
    assert post(personas, screened.recipient) == 302
    recipient = Participant.objects.get(pk=screened.recipient.pk)
    assert recipient.eligibility == "eligible"
    signature = EligibilitySignature.objects.get(participant=recipient)
    assert signature.signed_by == personas.investigator_a
    assert signature.decision_date == recipient.eligibility_date
    assert signature.meaning.startswith(f"Je confirme que le participant {recipient.code}")
    assert DEFAULT.version in signature.meaning


def test_the_page_shows_the_meaning_before_signing(screened: Screened, personas: Personas) -> None:
    html = personas.client(personas.investigator_a).get(url("sign", screened.recipient))
    assert "remplit tous les critères d’éligibilité" in html.content.decode()


def test_a_wrong_password_is_refused_at_its_field_and_nothing_is_signed(
    screened: Screened, personas: Personas
) -> None:
    client = personas.client(personas.investigator_a)
    response = client.post(
        url("sign", screened.recipient), {"decision": "eligible", "password": "not-it"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["password"]
    assert not EligibilitySignature.objects.exists()
    assert Participant.objects.get(pk=screened.recipient.pk).eligibility == ""


def test_a_nurse_cannot_sign(screened: Screened, personas: Personas) -> None:
    client = personas.client(personas.nurse_a)
    assert client.get(url("sign", screened.recipient)).status_code == 403
    refused = client.post(
        url("sign", screened.recipient), {"decision": "eligible", "password": PASSWORD}
    )
    assert refused.status_code == 403
    assert not EligibilitySignature.objects.exists()


def test_an_undetermined_verdict_cannot_be_signed(trial: Trial, personas: Personas) -> None:
    client = personas.client(personas.investigator_a)
    page = client.get(url("sign", trial.recipient_a))
    assert page.context["decision"] is None
    assert 'id="cannot-sign"' in page.content.decode()
    response = client.post(
        url("sign", trial.recipient_a), {"decision": "eligible", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["decision"]
    assert not EligibilitySignature.objects.exists()


def test_a_screen_failure_is_signed_not_eligible_with_its_reasons(
    trial: Trial, personas: Personas
) -> None:
    from tests.web.screening.conftest import complete_recipient

    complete_recipient(trial.recipient_a, personas.nurse_a, personas.investigator_a)
    low = {site: min(score, 1) for site, score in MRSS_20.items()}
    actions.add_skin_score(
        trial.recipient_a, by=personas.nurse_a, date=trial.recipient_a.screening_date, sites=low
    )
    assert post(personas, trial.recipient_a) == 302
    signature = EligibilitySignature.objects.get()
    assert signature.decision == "not_eligible"
    assert signature.meaning.endswith(": R-I3c.")
    assert Participant.objects.get(pk=trial.recipient_a.pk).eligibility == "not_eligible"


def test_eligible_is_not_signed_on_a_verdict_not_met(trial: Trial, personas: Personas) -> None:
    from tests.web.screening.conftest import complete_recipient

    complete_recipient(trial.recipient_a, personas.nurse_a, personas.investigator_a)
    actions.add_skin_score(
        trial.recipient_a,
        by=personas.nurse_a,
        date=trial.recipient_a.screening_date,
        sites={},
        total=10,
    )
    response = personas.client(personas.investigator_a).post(
        url("sign", trial.recipient_a), {"decision": "eligible", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["decision"]


def test_the_signature_freezes_the_facts_the_tree_the_version_and_the_settings_hash(
    screened: Screened, personas: Personas
) -> None:
    signature = sign(screened.recipient, personas.investigator_a)
    assert isinstance(signature, EligibilitySignature)
    assert signature.facts_json == canonical_facts(facts_for(screened.recipient))
    assert signature.facts_sha256 == hashlib.sha256(signature.facts_json.encode()).hexdigest()
    screening = evaluate(screened.recipient).screening
    assert screening is not None
    assert json.loads(signature.result_json) == json.loads(json.dumps(screening.to_dict()))
    assert (signature.protocol_version, signature.settings_hash) == (DEFAULT.version, DEFAULT.hash)
    assert signature.verdict == "met"
    assert signature.index_date == screened.recipient.screening_date


def test_a_second_signature_on_unchanged_data_is_refused(
    screened: Screened, personas: Personas
) -> None:
    sign(screened.recipient, personas.investigator_a)
    assert post(personas, screened.recipient) == 400
    assert EligibilitySignature.objects.count() == 1


def test_the_signature_is_in_the_audit_trail(screened: Screened, personas: Personas) -> None:
    signature = sign(screened.recipient, personas.investigator_a)
    assert isinstance(signature, EligibilitySignature)
    [event] = AuditEvent.objects.for_row(signature)
    assert (event.action, event.actor_username) == ("sign_eligibility", "investigator_a")
    decided = AuditEvent.objects.filter(
        table_name="trial_participant",
        action="record_eligibility",
        row_pk=str(screened.recipient.pk),
    )
    assert decided.exists()


def test_another_sites_investigator_cannot_sign(screened: Screened, personas: Personas) -> None:
    client = personas.client(personas.investigator_b)
    assert client.get(url("sign", screened.recipient)).status_code == 404
