"""Queries through the pages: raised by the monitor, answered by the site, closed; site lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sclerocell.web.accounts.roles import Role
from sclerocell.web.followup import actions
from sclerocell.web.followup.models import Query
from tests.web.conftest import Personas, make_user
from tests.web.followup.conftest import VITALS, FollowUp, enter


@pytest.fixture
def query(followup: FollowUp, personas: Personas) -> Query:
    enter(followup.baseline_a, "vitals", personas.nurse_a, **VITALS)
    return actions.raise_query(
        followup.recipient_a,
        by=personas.monitor_a,
        text="Poids à vérifier sur le dossier.",
        visit=followup.baseline_a,
        form="vitals",
        field="weight",
    )


def test_the_monitor_raises_a_query_from_a_field(followup: FollowUp, personas: Personas) -> None:
    enter(followup.baseline_a, "vitals", personas.nurse_a, **VITALS)
    url = reverse("followup:raise_query", args=[followup.recipient_a.code])
    client = personas.client(personas.monitor_a)
    prefill = {"visit": followup.baseline_a.pk, "form": "vitals", "field": "weight"}
    assert client.get(url, prefill).status_code == 200
    response = client.post(url, {**prefill, "text": "Poids à vérifier."})
    query = Query.objects.get()
    assert response.status_code == 302
    assert (query.form, query.field, query.status, query.raised_by) == (
        "vitals",
        "weight",
        "open",
        personas.monitor_a,
    )


def test_the_site_cannot_raise_a_query(followup: FollowUp, personas: Personas) -> None:
    url = reverse("followup:raise_query", args=[followup.recipient_a.code])
    assert personas.client(personas.investigator_a).get(url).status_code == 403


def test_the_site_answers_and_the_monitor_closes(query: Query, personas: Personas) -> None:
    url = reverse("followup:query_detail", args=[query.participant.code, query.pk])
    nurse = personas.client(personas.nurse_a)
    assert 'value="answer"' in nurse.get(url).content.decode()
    nurse.post(url, {"transition": "answer", "text": "Corrigé.", "version": 1})
    monitor = personas.client(personas.monitor_a)
    assert 'value="close"' in monitor.get(url).content.decode()
    monitor.post(url, {"transition": "close", "text": "", "version": 2})
    query.refresh_from_db()
    assert query.status == "closed"


def test_an_answer_without_a_message_is_refused_at_the_message(
    query: Query, personas: Personas
) -> None:
    url = reverse("followup:query_detail", args=[query.participant.code, query.pk])
    response = personas.client(personas.nurse_a).post(url, {"transition": "answer", "version": 1})
    assert response.status_code == 400 and response.context["posted"].errors["text"]


def test_the_monitor_cannot_answer_through_the_page(query: Query, personas: Personas) -> None:
    url = reverse("followup:query_detail", args=[query.participant.code, query.pk])
    response = personas.client(personas.monitor_a).post(
        url, {"transition": "answer", "text": "x", "version": 1}
    )
    assert response.status_code == 403


def test_the_status_is_shown_the_same_on_every_page(query: Query, personas: Personas) -> None:
    code = query.participant.code
    badge = '<span class="badge query-open">ouverte</span>'
    client = personas.client(personas.data_manager_a)
    for url in (
        reverse("followup:query_list"),
        reverse("followup:participant_queries", args=[code]),
        reverse("followup:query_detail", args=[code, query.pk]),
        reverse("followup:form", args=[code, query.visit_id, "vitals"]),
    ):
        assert badge in client.get(url).content.decode(), url


def test_the_site_list_shows_only_the_users_sites(
    query: Query, followup: FollowUp, personas: Personas
) -> None:
    monitor_b = make_user("monitor_b", Role.MONITOR, personas.site_b)
    actions.raise_query(followup.recipient_b, by=monitor_b, text="Site B ?")
    content = (
        personas.client(personas.data_manager_a)
        .get(reverse("followup:query_list"))
        .content.decode()
    )
    assert followup.recipient_a.code in content and followup.recipient_b.code not in content
    assert (
        followup.recipient_b.code
        in personas.client(monitor_b).get(reverse("followup:query_list")).content.decode()
    )


def test_the_list_filters_by_status(query: Query, personas: Personas) -> None:
    actions.close_query(query, by=personas.monitor_a)
    client = personas.client(personas.data_manager_a)
    url = reverse("followup:query_list")
    assert query.participant.code not in client.get(url, {"status": "unresolved"}).content.decode()
    assert query.participant.code in client.get(url, {"status": "closed"}).content.decode()
