"""The safety board's decision on a dose level, recorded by an investigator."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.trial import actions
from sclerocell.web.trial.models import SafetyBoardDecision
from tests.web.conftest import Personas
from tests.web.product.helpers import refusal

DECIDED = datetime.date(2016, 5, 2)


def record(by: object, **overrides: object) -> SafetyBoardDecision:
    fields: dict[str, object] = {
        "dose_level": 1,
        "outcome": "escalate",
        "decided_on": DECIDED,
        "minutes_reference": "CSI-2016-05",
    }
    fields.update(overrides)
    return actions.record_safety_board_decision(by=by, **fields)  # type: ignore[arg-type]


def test_an_investigator_records_the_decision_with_its_minutes(personas: Personas) -> None:
    decision = record(personas.investigator_a, note="No grade ≥ 3 toxicity at level 1")
    assert (decision.dose_level, decision.outcome, decision.decided_on) == (1, "escalate", DECIDED)
    event = AuditEvent.objects.for_row(decision).get()
    assert event.action == "record_safety_board_decision"
    assert event.actor_username == "investigator_a"


@pytest.mark.parametrize("persona", ["data_manager_a", "nurse_a", "safety_board", "monitor_a"])
def test_other_roles_do_not_record_it(personas: Personas, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        record(getattr(personas, persona))


def test_the_minutes_reference_is_required(personas: Personas) -> None:
    assert "required" in refusal(
        lambda: record(personas.investigator_a, minutes_reference="  "), "minutes_reference"
    )


def test_a_level_beyond_the_protocol_is_refused(personas: Personas) -> None:
    refusal(lambda: record(personas.investigator_a, dose_level=3), "dose_level")


def test_a_future_decision_is_refused(personas: Personas) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    refusal(lambda: record(personas.investigator_a, decided_on=tomorrow), "decided_on")
