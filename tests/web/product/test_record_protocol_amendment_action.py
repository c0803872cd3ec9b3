"""Protocol amendments change the study frame from their effective date."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from sclerocell.web.trial import actions
from sclerocell.web.trial.enrolment import PROTOCOL_FRAME, frame_on
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import refusal
from tests.web.trial.conftest import Trial

D = datetime.date


def amend(by: object, **overrides: object) -> object:
    fields: dict[str, object] = {
        "version": "v2.0",
        "reference": "ANSM 2016-A0001 / CPP Île-de-France IV",
        "approved_on": D(2016, 1, 15),
        "effective_from": D(2016, 2, 1),
    }
    fields.update(overrides)
    return actions.record_protocol_amendment(by=by, **fields)  # type: ignore[arg-type]


def test_the_frame_changes_from_the_effective_date(personas: Personas) -> None:
    amend(personas.investigator_a, recipients_max=24, participation_months=36)
    assert frame_on(D(2016, 1, 31)) == PROTOCOL_FRAME
    after = frame_on(D(2016, 2, 1))
    assert (after.version, after.recipients_max, after.donors_max) == ("v2.0", 24, 20)
    assert after.participation_months == 36
    assert [level.last_rank for level in after.dose_settings().levels] == [10, 24]


def test_later_amendments_build_on_earlier_ones(personas: Personas) -> None:
    amend(personas.investigator_a, recipients_max=24)
    amend(
        personas.investigator_a,
        version="v3.0",
        approved_on=D(2017, 1, 2),
        effective_from=D(2017, 2, 1),
        inclusion_end=D(2019, 8, 31),
    )
    frame = frame_on(D(2017, 6, 1))
    assert (frame.version, frame.recipients_max, frame.inclusion_end) == (
        "v3.0",
        24,
        D(2019, 8, 31),
    )


def test_a_capacity_below_those_already_included_is_refused(
    trial: Trial, personas: Personas
) -> None:
    factories.included_pair(trial.recipient_a, personas.investigator_a)
    factories.included_pair(trial.recipient_b, personas.investigator_b)
    text = refusal(lambda: amend(personas.investigator_a, recipients_max=1), "recipients_max")
    assert "2 are already included" in text


def test_a_version_is_recorded_once(personas: Personas) -> None:
    amend(personas.investigator_a)
    refusal(lambda: amend(personas.investigator_a), "version")
    refusal(lambda: amend(personas.investigator_a, version="v1"), "version")


def test_an_amendment_is_in_force_after_its_approval(personas: Personas) -> None:
    refusal(lambda: amend(personas.investigator_a, effective_from=D(2016, 1, 1)), "effective_from")


def test_a_data_manager_does_not_record_amendments(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        amend(personas.data_manager_a)
