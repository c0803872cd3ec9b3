"""The situation form: index date, childbearing potential, contraception, social security."""

from __future__ import annotations

from sclerocell.web.screening.models import ScreeningProfile
from tests.web.conftest import Personas
from tests.web.screening.conftest import status_of, url
from tests.web.trial.conftest import Trial

ANSWERS = {
    "childbearing_potential": "yes",
    "effective_contraception": "yes",
    "social_security": "yes",
    "index_date": "",
}


def test_a_nurse_records_the_situation_and_the_verdict_reads_it(
    trial: Trial, personas: Personas
) -> None:
    assert status_of(trial.recipient_a, "R-I4.social_security") == "unknown"
    client = personas.client(personas.nurse_a)
    response = client.post(url("profile", trial.recipient_a), ANSWERS)
    assert response.status_code == 302
    assert status_of(trial.recipient_a, "R-I4.social_security") == "met"
    assert status_of(trial.recipient_a, "R-I5") == "met"
    page = client.get(url("profile", trial.recipient_a)).content.decode()
    assert 'data-criterion="R-I5" data-status="met"' in page


def test_changing_an_entered_answer_needs_a_reason(trial: Trial, personas: Personas) -> None:
    client = personas.client(personas.nurse_a)
    client.post(url("profile", trial.recipient_a), ANSWERS)
    changed = {**ANSWERS, "social_security": "no", "version": "1"}
    refused = client.post(url("profile", trial.recipient_a), changed)
    assert refused.status_code == 400
    assert refused.context["form"].errors["reason"]
    accepted = client.post(
        url("profile", trial.recipient_a), {**changed, "reason": "Attestation expirée"}
    )
    assert accepted.status_code == 302
    assert ScreeningProfile.objects.get(participant=trial.recipient_a).social_security == "no"


def test_a_man_cannot_be_of_childbearing_potential(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(url("profile", trial.donor_a), ANSWERS)
    assert response.status_code == 400
    assert response.context["form"].errors["childbearing_potential"]
    assert not ScreeningProfile.objects.exists()


def test_an_index_date_before_the_screening_is_refused_at_its_field(
    trial: Trial, personas: Personas
) -> None:
    response = personas.client(personas.nurse_a).post(
        url("profile", trial.recipient_a), {**ANSWERS, "index_date": "2014-01-01"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["index_date"]


def test_a_form_opened_before_someone_elses_change_is_refused(
    trial: Trial, personas: Personas
) -> None:
    client = personas.client(personas.nurse_a)
    client.post(url("profile", trial.recipient_a), ANSWERS)
    client.post(
        url("profile", trial.recipient_a),
        {**ANSWERS, "social_security": "no", "version": "1", "reason": "Erreur"},
    )
    stale = client.post(
        url("profile", trial.recipient_a),
        {**ANSWERS, "effective_contraception": "no", "version": "1", "reason": "Erreur"},
    )
    assert stale.status_code == 400
    assert "Reload the page" in str(stale.context["form"].non_field_errors()) or (
        "Rechargez" in str(stale.context["form"].non_field_errors())
    )


def test_read_only_roles_cannot_open_the_form(trial: Trial, personas: Personas) -> None:
    for user in (personas.monitor_a, personas.statistician, personas.data_manager_a):
        assert personas.client(user).get(url("profile", trial.recipient_a)).status_code == 403
