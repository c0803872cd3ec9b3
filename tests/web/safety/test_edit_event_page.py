"""The page that corrects an adverse event (reason required, term can be changed)."""

from __future__ import annotations

from django.urls import reverse

from tests.web.conftest import Personas
from tests.web.safety.conftest import Safety


def url(safety: Safety) -> str:
    return reverse("safety:edit_event", args=[safety.recipient_a.code, safety.event_a.pk])


def form(safety: Safety, **changes: str) -> dict[str, object]:
    e = safety.event_a
    data: dict[str, object] = {
        "meddra_code": e.meddra_code,
        "ctcae_version": e.ctcae_version,
        "grade": str(e.grade),
        "onset_date": e.onset_date.isoformat(),
        "end_date": e.end_date.isoformat() if e.end_date else "",
        "outcome": e.outcome,
        "relation_to_msc": e.relation_to_msc,
        "relation_to_procedure": e.relation_to_procedure,
        "expectedness": e.expectedness,
        "action_taken": e.action_taken,
        "seriousness": [c.value for c in e.seriousness],
        "investigator_aware_at": "2015-05-05T12:00",
        "version": str(e.version),
        "reason": "Grade revu",
    }
    data.update(changes)
    return data


def test_it_shows_the_event_filled_in(safety: Safety, personas: Personas) -> None:
    page = personas.client(personas.investigator_a).get(url(safety))
    assert page.status_code == 200
    assert page.context["form"].initial["grade"] == 3


def test_it_saves_a_correction(safety: Safety, personas: Personas) -> None:
    response = personas.client(personas.investigator_a).post(url(safety), form(safety, grade="4"))
    assert response.status_code == 302
    safety.event_a.refresh_from_db()
    assert safety.event_a.grade == 4


def test_a_correction_without_reason_is_refused_at_the_reason_field(
    safety: Safety, personas: Personas
) -> None:
    response = personas.client(personas.investigator_a).post(
        url(safety), form(safety, grade="4", reason="")
    )
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors


def test_an_event_of_another_participant_is_not_found(safety: Safety, personas: Personas) -> None:
    other = reverse("safety:edit_event", args=[safety.recipient_a.code, safety.event_b.pk])
    assert personas.client(personas.investigator_a).get(other).status_code == 404
