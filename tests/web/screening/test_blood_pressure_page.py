"""Blood pressure readings, with dates and times (R-V3 reads two readings ≥ 12 h apart)."""

from __future__ import annotations

from sclerocell.web.screening.models import BloodPressure
from tests.web.conftest import Personas
from tests.web.screening.conftest import status_of, url
from tests.web.trial.conftest import Trial


def reading(personas: Personas, trial: Trial, **fields: str) -> int:
    data = {"date": "2015-02-20", "time": "", "systolic": "", "diastolic": "", "unit": "mmHg"}
    data.update(fields)
    response = personas.client(personas.nurse_a).post(
        url("blood_pressures", trial.recipient_a), data
    )
    return int(response.status_code)


def test_two_high_readings_twelve_hours_apart_make_r_v3_met(
    trial: Trial, personas: Personas
) -> None:
    assert reading(personas, trial, time="08:00", systolic="165", diastolic="95") == 302
    assert status_of(trial.recipient_a, "R-V3.hypertension") == "unknown"
    assert reading(personas, trial, time="20:30", systolic="170", diastolic="100") == 302
    assert status_of(trial.recipient_a, "R-V3.hypertension") == "met"
    assert status_of(trial.recipient_a, "R-V3") == "met"


def test_two_high_readings_the_same_day_without_times_leave_r_v3_undecided(
    trial: Trial, personas: Personas
) -> None:
    reading(personas, trial, systolic="165")
    reading(personas, trial, systolic="170")
    assert status_of(trial.recipient_a, "R-V3.hypertension") == "unknown"


def test_a_reading_in_cmhg_is_converted(trial: Trial, personas: Personas) -> None:
    reading(personas, trial, time="08:00", systolic="16,5", diastolic="9", unit="cmHg")
    reading(personas, trial, time="21:00", systolic="17", diastolic="9", unit="cmHg")
    assert status_of(trial.recipient_a, "R-V3.hypertension") == "met"
    assert BloodPressure.objects.filter(unit="cmHg").count() == 2


def test_a_reading_needs_a_pressure(trial: Trial, personas: Personas) -> None:
    assert reading(personas, trial) == 400
    assert not BloodPressure.objects.exists()


def test_a_diastolic_above_the_systolic_is_refused(trial: Trial, personas: Personas) -> None:
    assert reading(personas, trial, systolic="80", diastolic="120") == 400
