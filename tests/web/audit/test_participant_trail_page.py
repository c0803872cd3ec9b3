"""/fr/audit/participant/<id or study code>/ — the audit trail of one participant."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from sclerocell.web.trial import actions
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas

from .conftest import new_recipient


def url(participant: Participant | int | str) -> str:
    ref = participant.pk if isinstance(participant, Participant) else participant
    return f"/fr/audit/participant/{ref}/"


@pytest.fixture
def corrected(personas: Personas) -> Participant:
    participant = new_recipient(personas)
    return actions.update_participant(
        participant,
        by=personas.investigator_a,
        reason="Mois de naissance mal recopié",
        birth_month=7,
    )


def test_it_shows_who_when_what_and_why_field_by_field(
    personas: Personas, corrected: Participant
) -> None:
    client = personas.client(personas.investigator_a)
    client.defaults["REMOTE_ADDR"] = "10.0.0.7"

    response = client.get(url(corrected))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Piste d’audit de {corrected.code}" in html
    assert "investigator_a" in html and "Investigateur" in html
    assert "Mois de naissance mal recopié" in html
    assert "<del>6</del> → <ins>7</ins>" in html
    assert "mois de naissance" in html.lower()
    assert "Paris" in html and "UTC" in html
    assert "update_participant" in html


def test_it_shows_times_in_paris_and_in_utc(personas: Personas, corrected: Participant) -> None:
    response = personas.client(personas.investigator_a).get(url(corrected))

    row = response.context["rows"][0]
    assert row.at_utc.utcoffset() == datetime.timedelta(0)
    assert row.at_local.utcoffset() in (datetime.timedelta(hours=1), datetime.timedelta(hours=2))
    assert row.at_local == row.at_utc
    html = response.content.decode()
    assert f"{row.at_utc:%Y-%m-%d %H:%M:%S} UTC" in html
    assert f"{row.at_local:%d/%m/%Y %H:%M:%S}</time> <small>Paris" in html


def test_it_finds_the_participant_by_study_code(personas: Personas, corrected: Participant) -> None:
    response = personas.client(personas.monitor_a).get(url(corrected.code))

    assert response.status_code == 200
    assert response.context["participant"] == corrected


def test_a_participant_of_another_site_does_not_exist(
    personas: Personas, corrected: Participant
) -> None:
    response = personas.client(personas.investigator_b).get(url(corrected))

    assert response.status_code == 404


def test_an_unknown_participant_does_not_exist(personas: Personas) -> None:
    assert personas.client(personas.investigator_a).get(url(999999)).status_code == 404


@pytest.mark.parametrize("role", ["statistician", "safety_board", "admin"])
def test_roles_without_the_audit_permission_are_refused(
    personas: Personas, corrected: Participant, role: str
) -> None:
    response = personas.client(getattr(personas, role)).get(url(corrected))

    assert response.status_code == 403


@pytest.mark.parametrize(
    "role",
    [
        "investigator_a",
        "nurse_a",
        "cell_therapy_a",
        "pharmacovigilance_a",
        "data_manager_a",
        "monitor_a",
    ],
)
def test_every_role_with_the_audit_permission_at_the_site_may_read_it(
    personas: Personas, corrected: Participant, role: str
) -> None:
    assert personas.client(getattr(personas, role)).get(url(corrected)).status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in(corrected: Participant) -> None:
    response = Client().get(url(corrected))

    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_it_shows_the_participants_consents_too(personas: Personas, corrected: Participant) -> None:
    actions.record_consent(
        corrected,
        by=personas.investigator_a,
        form_version="v2.0",
        signed_date=corrected.screening_date,
    )

    response = personas.client(personas.investigator_a).get(url(corrected))

    assert [row.event.table_name for row in response.context["rows"]] == [
        "trial_participant",
        "trial_participant",
        "trial_consent",
    ]
    assert "v2.0" in response.content.decode()


def test_its_query_count_does_not_grow_with_the_events(
    personas: Personas, corrected: Participant, django_assert_max_num_queries: object
) -> None:
    client = personas.client(personas.investigator_a)
    client.get(url(corrected))
    for month in (8, 9, 10):
        actions.update_participant(
            corrected, by=personas.investigator_a, reason="again", birth_month=month
        )
        corrected.refresh_from_db()

    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(url(corrected))
    assert len(response.context["rows"]) == 5
