"""actions.assess_serious_event: pharmacovigilance decides whether a serious event is a SUSAR."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sclerocell.web.safety import actions
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.safety.conftest import INFUSED, at, event, serious

DAY = datetime.timedelta(days=1)


def test_pharmacovigilance_confirms_a_susar(recipient: Participant, personas: Personas) -> None:
    sae = serious(recipient, personas.investigator_a)
    aware = at(INFUSED + 21 * DAY)
    assessed = actions.assess_serious_event(
        sae, by=personas.pharmacovigilance_a, susar=True, sponsor_aware_at=aware
    )
    assert (assessed.susar, assessed.sponsor_aware_at) == (True, aware)


def test_departing_from_the_suggestion_needs_a_reason(
    recipient: Participant, personas: Personas
) -> None:
    sae = serious(recipient, personas.investigator_a)
    with pytest.raises(ValidationError) as refused:
        actions.assess_serious_event(sae, by=personas.pharmacovigilance_a, susar=False)
    assert "reason" in refused.value.message_dict


def test_the_sponsor_cannot_have_known_before_the_investigator(
    recipient: Participant, personas: Personas
) -> None:
    sae = serious(recipient, personas.investigator_a)
    with pytest.raises(ValidationError) as refused:
        actions.assess_serious_event(
            sae,
            by=personas.pharmacovigilance_a,
            susar=True,
            sponsor_aware_at=at(INFUSED + 19 * DAY),
        )
    assert "sponsor_aware_at" in refused.value.message_dict


def test_an_investigator_cannot_assess(recipient: Participant, personas: Personas) -> None:
    sae = serious(recipient, personas.investigator_a)
    with pytest.raises(PermissionDenied):
        actions.assess_serious_event(sae, by=personas.investigator_a, susar=True)


def test_a_non_serious_event_is_not_assessed(recipient: Participant, personas: Personas) -> None:
    with pytest.raises(ValidationError):
        actions.assess_serious_event(
            event(recipient, personas.nurse_a), by=personas.pharmacovigilance_a, susar=False
        )
