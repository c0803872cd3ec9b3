"""The page that records an adverse event: term picker without JavaScript, then the form."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from sclerocell.web.safety.models import AdverseEvent
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.safety.conftest import FEVER, NAUSEA

FORM: dict[str, Any] = {
    "meddra_code": FEVER,
    "ctcae_version": "5.0",
    "grade": "2",
    "onset_date": "2015-04-15",
    "end_date": "2015-04-16",
    "outcome": "recovered",
    "relation_to_msc": "probable",
    "relation_to_procedure": "not_applicable",
    "expectedness": "expected",
    "action_taken": "not_applicable",
}


def url(participant: Participant) -> str:
    return reverse("safety:record_event", args=[participant.code])


def test_the_search_lists_terms_found_by_their_french_name(
    recipient: Participant, personas: Personas
) -> None:
    page = personas.client(personas.nurse_a).get(url(recipient), {"q": "fièvre"})
    assert page.status_code == 200
    text = page.content.decode()
    assert f"term={FEVER}" in text and "Fever — fièvre" in text
    assert 'name="grade"' not in text  # no form before a term is chosen


def test_choosing_a_term_shows_only_its_own_grades_with_their_texts(
    recipient: Participant, personas: Personas
) -> None:
    page = personas.client(personas.nurse_a).get(url(recipient), {"term": NAUSEA})
    text = page.content.decode()
    assert 'name="grade" value="3"' in text
    assert 'name="grade" value="4"' not in text
    assert "Inadequate oral caloric or fluid intake" in text  # the grade 3 text of Nausea


def test_it_records_the_event_and_its_ctcae_version(
    recipient: Participant, personas: Personas
) -> None:
    response = personas.client(personas.nurse_a).post(f"{url(recipient)}?term={FEVER}", FORM)
    assert response.status_code == 302
    recorded = AdverseEvent.objects.get()
    assert (recorded.term, recorded.grade, recorded.ctcae_version) == ("Fever", 2, "5.0")


def test_a_grade_the_term_does_not_have_is_refused_at_the_grade_field(
    recipient: Participant, personas: Personas
) -> None:
    response = personas.client(personas.nurse_a).post(
        url(recipient), {**FORM, "meddra_code": NAUSEA, "grade": "4"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["grade"] == [
        "Le grade 4 n’existe pas pour « Nausea » dans la CTCAE v5.0 : choisissez 1, 2, 3."
    ]
    assert not AdverseEvent.objects.exists()


def test_the_errors_speak_english_on_the_english_pages(
    recipient: Participant, personas: Personas
) -> None:
    english = url(recipient).replace("/fr/", "/en/", 1)
    response = personas.client(personas.nurse_a).post(
        english, {**FORM, "meddra_code": NAUSEA, "grade": "4"}
    )
    assert "Grade 4 does not exist for “Nausea” in CTCAE v5.0: choose 1, 2, 3." in (
        response.content.decode()
    )


def test_a_post_without_a_term_keeps_the_picker(recipient: Participant, personas: Personas) -> None:
    response = personas.client(personas.nurse_a).post(url(recipient), {**FORM, "meddra_code": ""})
    assert response.status_code == 400
    assert not AdverseEvent.objects.exists()


def test_the_picker_script_is_self_hosted(recipient: Participant, personas: Personas) -> None:
    text = personas.client(personas.nurse_a).get(url(recipient)).content.decode()
    assert '<script src="/static/safety/term-picker.js" defer></script>' in text
    assert "<script>" not in text


def test_the_safety_board_cannot_record_an_event(
    recipient: Participant, personas: Personas
) -> None:
    client = personas.client(personas.safety_board)
    assert client.get(url(recipient)).status_code == 403
    assert client.post(url(recipient), FORM).status_code == 403
    assert not AdverseEvent.objects.exists()


def test_a_monitor_cannot_record_an_event(recipient: Participant, personas: Personas) -> None:
    assert personas.client(personas.monitor_a).post(url(recipient), FORM).status_code == 403
