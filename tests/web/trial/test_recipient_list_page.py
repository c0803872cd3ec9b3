"""The recipient list: the busiest page — site-scoped, searchable, filterable, few queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial, included, new_donor, new_recipient

URL = reverse("trial:recipient_list")


def test_it_lists_the_recipients_of_the_users_site_only(trial: Trial, personas: Personas) -> None:
    page = personas.client(personas.investigator_a).get(URL).content.decode()
    assert trial.recipient_a.code in page
    assert trial.donor_a.code in page  # as the recipient's donor
    assert trial.recipient_b.code not in page
    assert trial.donor_b.code not in page


def test_it_is_in_french_by_default(trial: Trial, personas: Personas) -> None:
    page = personas.client(personas.investigator_a).get(URL).content.decode()
    assert "Receveurs" in page
    assert "en pré-inclusion" in page


def test_it_is_in_english_on_request(trial: Trial, personas: Personas) -> None:
    page = personas.client(personas.investigator_a).get("/en" + URL[3:]).content.decode()
    assert "Recipients" in page
    assert "in screening" in page


def test_it_searches_by_part_of_the_study_code(trial: Trial, personas: Personas) -> None:
    second = new_recipient(personas.site_a, personas.investigator_a)
    client = personas.client(personas.investigator_a)
    page = client.get(URL, {"q": second.code[:7].lower()}).content.decode()
    assert second.code in page
    assert trial.recipient_a.code not in page


def test_searching_for_another_sites_code_finds_nothing(trial: Trial, personas: Personas) -> None:
    page = personas.client(personas.investigator_a).get(URL, {"q": trial.recipient_b.code})
    content = page.content.decode()
    assert reverse("trial:participant_detail", args=[trial.recipient_b.code]) not in content
    assert "Aucun participant ne correspond." in content


def test_it_filters_by_stage(trial: Trial, personas: Personas) -> None:
    other = new_recipient(personas.site_a, personas.investigator_a)
    included(trial.recipient_a, personas.investigator_a)
    page = personas.client(personas.investigator_a).get(URL, {"stage": "enrolled"})
    content = page.content.decode()
    assert trial.recipient_a.code in content
    assert other.code not in content


def test_it_shows_the_register_button_only_to_roles_that_register(
    trial: Trial, personas: Personas
) -> None:
    register = reverse("trial:register_recipient")
    assert register in personas.client(personas.nurse_a).get(URL).content.decode()
    assert register not in personas.client(personas.monitor_a).get(URL).content.decode()


def test_a_role_without_access_to_participants_is_refused(personas: Personas) -> None:
    assert personas.client(personas.safety_board).get(URL).status_code == 403
    assert personas.client(personas.admin).get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client: object) -> None:
    response = client.get(URL)  # type: ignore[attr-defined]
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _queries(personas: Personas) -> int:
    client = personas.client(personas.investigator_a)
    client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_recipients(
    personas: Personas,
) -> None:
    recipient = new_recipient(personas.site_a, personas.investigator_a)
    new_donor(recipient, personas.investigator_a)
    few = _queries(personas)
    for _ in range(12):
        recipient = new_recipient(personas.site_a, personas.investigator_a)
        new_donor(recipient, personas.investigator_a)
        new_donor(recipient, personas.investigator_a, relationship="spouse")
    assert _queries(personas) == few
    assert few <= 8  # session, user, count, rows, donors; saving the session (3)
