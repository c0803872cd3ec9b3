"""The modified Rodnan skin score: the 17-site grid, or a total (R-I3c: ≥ 15)."""

from __future__ import annotations

from sclerocell.web.screening.models import SkinScore
from tests.web.conftest import Personas
from tests.web.screening.conftest import MRSS_20, status_of, url
from tests.web.trial.conftest import Trial


def exam(personas: Personas, trial: Trial, **fields: object) -> int:
    data: dict[str, object] = {"date": "2015-02-25", "examiner": "Dr A"}
    data.update(fields)
    response = personas.client(personas.nurse_a).post(url("skin_scores", trial.recipient_a), data)
    return int(response.status_code)


def test_the_17_site_grid_decides_r_i3c(trial: Trial, personas: Personas) -> None:
    assert status_of(trial.recipient_a, "R-I3c") == "unknown"
    assert exam(personas, trial, **MRSS_20) == 302
    assert status_of(trial.recipient_a, "R-I3c") == "met"
    assert SkinScore.objects.get().site_total == 20


def test_a_low_score_is_a_screen_failure_on_r_i3c(trial: Trial, personas: Personas) -> None:
    exam(personas, trial, **{site: min(score, 1) for site, score in MRSS_20.items()})
    assert status_of(trial.recipient_a, "R-I3c") == "not_met"


def test_a_partial_grid_decides_only_when_the_missing_sites_cannot_change_it(
    trial: Trial, personas: Personas
) -> None:
    exam(personas, trial, right_fingers=3, left_fingers=3)
    assert status_of(trial.recipient_a, "R-I3c") == "unknown"


def test_a_total_alone_is_accepted(trial: Trial, personas: Personas) -> None:
    assert exam(personas, trial, total="18") == 302
    assert status_of(trial.recipient_a, "R-I3c") == "met"


def test_sites_and_a_total_together_are_refused(trial: Trial, personas: Personas) -> None:
    assert exam(personas, trial, total="18", face="1") == 400
    assert exam(personas, trial) == 400
    assert not SkinScore.objects.exists()
