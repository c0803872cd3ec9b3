"""The visit schedule is one protocol setting (SCLEROCELL_VISIT_SCHEDULE): changing it changes
the windows, the statuses and the expected forms; a malformed value stops start-up loudly."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from sclerocell.config import (
    DEFAULT_VISIT_SCHEDULE,
    ConfigError,
    env_visit_schedule,
    format_visit_schedule,
    parse_visit_schedule,
    visit_schedule_hash,
)
from sclerocell.followup.schedule import DEFAULT_SCHEDULE
from sclerocell.web.followup.definitions import FORMS, SCHEDULED
from sclerocell.web.followup.forms import visit_choices
from sclerocell.web.followup.visits import (
    VISIT_NAMES,
    expected_forms,
    participant_schedule,
    schedule_codes,
    schedule_identity,
    schedule_settings,
)
from tests.web.conftest import Personas
from tests.web.followup.conftest import FollowUp

#: No M9 nor M18, and a wider M3 window (±30 days).
SHORTER = "D10=10d±3, M1=1m±7, M3=3m±30, M6=6m±14, M12=12m±14, M24=24m±30"
M3_LATE_BY_DEFAULT = datetime.date(2015, 8, 5)  # M3 target 2015-07-15 + 21 days


def test_the_default_setting_is_the_protocols_schedule() -> None:
    assert schedule_settings() == DEFAULT_SCHEDULE
    assert parse_visit_schedule(DEFAULT_VISIT_SCHEDULE) == DEFAULT_SCHEDULE
    assert format_visit_schedule(DEFAULT_SCHEDULE) == DEFAULT_VISIT_SCHEDULE
    assert schedule_codes() == SCHEDULED
    version, digest = schedule_identity()
    assert version == DEFAULT_SCHEDULE.version
    assert digest == visit_schedule_hash(DEFAULT_SCHEDULE) and len(digest) == 12


def test_a_changed_schedule_changes_the_statuses(followup: FollowUp, personas: Personas) -> None:
    visit = followup.visit("M3", M3_LATE_BY_DEFAULT, by=personas.nurse_a)
    as_of = datetime.date(2016, 2, 10)
    by_default = {
        r.code: r.status for r in participant_schedule(followup.recipient_a, [visit], as_of)
    }
    assert by_default["M3"] == "late" and by_default["M9"] == "missed"
    with override_settings(SCLEROCELL_VISIT_SCHEDULE=SHORTER):
        rows = participant_schedule(followup.recipient_a, [visit], as_of)
        changed = {r.code: r.status for r in rows}
        assert changed["M3"] == "done"
        assert "M9" not in changed and "M18" not in changed
        m3 = next(r for r in rows if r.code == "M3")
        assert m3.window_end == datetime.date(2015, 8, 14)


def test_a_changed_schedule_changes_the_expected_forms() -> None:
    assert FORMS["labs"] in expected_forms("M9")
    with override_settings(SCLEROCELL_VISIT_SCHEDULE=SHORTER):
        assert expected_forms("M9") == []
        assert FORMS["labs"] in expected_forms("M12")
        assert FORMS["surveillance"] in expected_forms("M24")
        names = dict(VISIT_NAMES)
        codes = [
            code
            for code, _name in visit_choices(set(), names, infused=True, scheduled=schedule_codes())
        ]
        assert codes == ["BL", "D10", "M1", "M3", "M6", "M12", "M24", "UNS"]


def test_the_visit_page_shows_the_schedule_version_and_hash(
    followup: FollowUp, personas: Personas
) -> None:
    url = reverse("followup:visit_list", args=[followup.recipient_a.code])
    page = personas.client(personas.nurse_a).get(url).content.decode()
    assert visit_schedule_hash(DEFAULT_SCHEDULE) in page
    with override_settings(SCLEROCELL_VISIT_SCHEDULE=SHORTER):
        page = personas.client(personas.nurse_a).get(url).content.decode()
    shorter = parse_visit_schedule(SHORTER)
    assert visit_schedule_hash(shorter) in page
    assert shorter.version == f"SCLEROCELL_VISIT_SCHEDULE {visit_schedule_hash(shorter)}"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("M3=3x±14", "'M3=3x±14' is not CODE="),
        ("", "no visit given"),
        ("D10=10d±3, D10=10d±3", "unique codes"),
        ("M1=1m±40, M3=3m±14", "the window of M1 opens on or before"),
        ("M1=1m±7, M15=15m±14", "visit code 'M15' is not one the database knows"),
    ],
)
def test_a_malformed_setting_fails_with_a_clear_message(value: str, says: str) -> None:
    env = {"SCLEROCELL_VISIT_SCHEDULE": value}
    with pytest.raises(ConfigError, match="SCLEROCELL_VISIT_SCHEDULE") as caught:
        env_visit_schedule("SCLEROCELL_VISIT_SCHEDULE", known_codes=SCHEDULED, env=env)
    assert says in str(caught.value)


def test_an_overridden_setting_with_an_unknown_code_is_refused_where_it_is_read() -> None:
    with override_settings(SCLEROCELL_VISIT_SCHEDULE="M1=1m±7, M15=15m±14"):
        with pytest.raises(ImproperlyConfigured, match="M15"):
            schedule_settings()
    with override_settings(SCLEROCELL_VISIT_SCHEDULE=42):
        with pytest.raises(ImproperlyConfigured, match="SCLEROCELL_VISIT_SCHEDULE"):
            schedule_settings()


def test_a_malformed_environment_variable_stops_start_up() -> None:
    env = {**os.environ, "SCLEROCELL_VISIT_SCHEDULE": "M3=three months"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "ConfigError: SCLEROCELL_VISIT_SCHEDULE: 'M3=three months' is not" in result.stderr


def test_a_visit_the_schedule_dropped_cannot_be_recorded(
    followup: FollowUp, personas: Personas
) -> None:
    with override_settings(SCLEROCELL_VISIT_SCHEDULE=SHORTER), translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            followup.visit("M9", datetime.date(2016, 4, 15), by=personas.nurse_a)
        assert "not in the schedule in force" in str(refused.value.message_dict["code"])
        assert followup.visit("M12", datetime.date(2016, 7, 15), by=personas.nurse_a).pk
