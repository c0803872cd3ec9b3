"""High-dose IV cyclophosphamide: never given, or its courses (R-I3b: ≥ 6 months since the end)."""

from __future__ import annotations

from sclerocell.web.screening.models import CyclophosphamideCourse
from tests.web.conftest import Personas
from tests.web.screening.conftest import status_of, url
from tests.web.trial.conftest import Trial


def post(personas: Personas, trial: Trial, data: dict[str, str]) -> int:
    response = personas.client(personas.nurse_a).post(url("courses", trial.recipient_a), data)
    return int(response.status_code)


def test_never_given_makes_r_i3b_met(trial: Trial, personas: Personas) -> None:
    assert status_of(trial.recipient_a, "R-I3b") == "unknown"
    assert post(personas, trial, {"form": "answer", "cyclophosphamide_given": "no"}) == 302
    assert status_of(trial.recipient_a, "R-I3b") == "met"


def test_a_course_ended_three_months_before_makes_r_i3b_not_met(
    trial: Trial, personas: Personas
) -> None:
    post(personas, trial, {"form": "answer", "cyclophosphamide_given": "yes"})
    data = {"form": "course", "start": "2014-07-01", "end": "2014-12-01", "boluses": "6"}
    assert post(personas, trial, data) == 302
    assert status_of(trial.recipient_a, "R-I3b") == "not_met"


def test_a_course_ended_long_before_makes_r_i3b_met(trial: Trial, personas: Personas) -> None:
    post(personas, trial, {"form": "course", "start": "2013-07-01", "end": "2014-01-10"})
    assert status_of(trial.recipient_a, "R-I3b") == "met"


def test_a_course_whose_end_is_unknown_leaves_r_i3b_unknown(
    trial: Trial, personas: Personas
) -> None:
    post(personas, trial, {"form": "course", "start": "2014-07-01"})
    assert status_of(trial.recipient_a, "R-I3b") == "unknown"


def test_a_course_cannot_be_recorded_after_never_given(trial: Trial, personas: Personas) -> None:
    post(personas, trial, {"form": "answer", "cyclophosphamide_given": "no"})
    assert post(personas, trial, {"form": "course", "start": "2014-07-01"}) == 400
    assert not CyclophosphamideCourse.objects.exists()


def test_never_given_cannot_be_answered_while_courses_are_recorded(
    trial: Trial, personas: Personas
) -> None:
    post(personas, trial, {"form": "course", "start": "2013-07-01", "end": "2014-01-10"})
    assert post(personas, trial, {"form": "answer", "cyclophosphamide_given": "no"}) == 400


def test_a_course_ending_before_it_starts_is_refused(trial: Trial, personas: Personas) -> None:
    assert (
        post(personas, trial, {"form": "course", "start": "2014-07-01", "end": "2014-01-10"}) == 400
    )
