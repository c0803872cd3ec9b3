"""A query is raised by a data manager or a monitor, answered by the site, closed, reopened."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sclerocell.web.followup import actions
from sclerocell.web.followup.models import Query
from tests.web.conftest import Personas
from tests.web.followup.conftest import VITALS, FollowUp, enter


@pytest.fixture
def query(followup: FollowUp, personas: Personas) -> Query:
    enter(followup.baseline_a, "vitals", personas.nurse_a, **VITALS)
    return actions.raise_query(
        followup.recipient_a,
        by=personas.monitor_a,
        text="Le poids ne correspond pas au dossier source.",
        visit=followup.baseline_a,
        form="vitals",
        field="weight",
    )


def test_a_query_goes_open_answered_closed_and_can_be_reopened(
    query: Query, personas: Personas
) -> None:
    query = actions.answer_query(query, by=personas.nurse_a, text="Corrigé : 61,5 kg.")
    assert query.status == "answered"
    query = actions.reopen_query(query, by=personas.monitor_a, text="Le dossier dit 62 kg.")
    assert query.status == "open"
    query = actions.answer_query(query, by=personas.investigator_a, text="Vérifié : 61,5 kg.")
    query = actions.close_query(query, by=personas.data_manager_a)
    assert query.status == "closed"
    assert [m.kind for m in query.messages.all()] == [
        "raise",
        "answer",
        "reopen",
        "answer",
        "close",
    ]


def test_the_site_cannot_raise_or_close_a_query(
    query: Query, followup: FollowUp, personas: Personas
) -> None:
    with pytest.raises(PermissionDenied):
        actions.raise_query(followup.recipient_a, by=personas.investigator_a, text="?")
    with pytest.raises(PermissionDenied):
        actions.close_query(query, by=personas.nurse_a)


def test_the_monitor_cannot_answer(query: Query, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        actions.answer_query(query, by=personas.monitor_a, text="Réponse.")


def test_an_answer_needs_a_message(query: Query, personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        actions.answer_query(query, by=personas.nurse_a, text=" ")
    assert "text" in error.value.message_dict


def test_a_closed_query_cannot_be_answered(query: Query, personas: Personas) -> None:
    query = actions.close_query(query, by=personas.monitor_a)
    with pytest.raises(ValidationError) as error:
        actions.answer_query(query, by=personas.nurse_a, text="Trop tard.")
    assert error.value.error_dict["__all__"][0].code == "status"


def test_a_query_names_a_field_of_its_form(followup: FollowUp, personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        actions.raise_query(
            followup.recipient_a,
            by=personas.monitor_a,
            text="?",
            visit=followup.baseline_a,
            form="vitals",
            field="fvc_percent",
        )
    assert "field" in error.value.message_dict


def test_a_query_refuses_identities(followup: FollowUp, personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        actions.raise_query(
            followup.recipient_a, by=personas.monitor_a, text="Appeler le 06 12 34 56 78."
        )
    assert "text" in error.value.message_dict


def test_another_sites_monitor_cannot_raise_one(followup: FollowUp, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        actions.raise_query(followup.recipient_b, by=personas.monitor_a, text="?")
