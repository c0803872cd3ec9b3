"""monitoring.classify: the tolerance period of an event from its onset and the infusion dates."""

from __future__ import annotations

import datetime

import pytest

from sclerocell.followup.tolerance import OnsetPeriod
from sclerocell.web.safety import monitoring
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.safety.conftest import BASAL_CELL, FEVER, INFUSED, SKIN_ULCERATION, event


@pytest.mark.parametrize(
    ("onset", "period"),
    [
        (INFUSED - datetime.timedelta(days=1), OnsetPeriod.BEFORE_INFUSION),
        (INFUSED, OnsetPeriod.IMMEDIATE),
        (INFUSED + datetime.timedelta(days=10), OnsetPeriod.IMMEDIATE),
        (INFUSED + datetime.timedelta(days=11), OnsetPeriod.EARLY),
        (datetime.date(2015, 7, 15), OnsetPeriod.EARLY),  # 3 months after 15 April, inclusive
        (datetime.date(2015, 7, 16), OnsetPeriod.LATE),
    ],
)
def test_it_classifies_the_onset_relative_to_the_infusion(
    recipient: Participant, personas: Personas, onset: datetime.date, period: OnsetPeriod
) -> None:
    relation = "not_related" if onset < INFUSED else "possible"
    recorded = event(
        recipient,
        personas.investigator_a,
        meddra_code=FEVER,
        onset_date=onset,
        end_date=onset,
        relation_to_msc=relation,
    )
    found = monitoring.classify(recorded)
    assert found is not None
    assert (found.period, found.day) == (period, (onset - INFUSED).days)


def test_a_grade_3_event_is_a_severe_toxicity(recipient: Participant, personas: Personas) -> None:
    recorded = event(recipient, personas.investigator_a, meddra_code=FEVER, grade=3)
    found = monitoring.classify(recorded)
    assert found is not None and found.severe


def test_a_donors_event_has_no_tolerance_period(recipient: Participant, personas: Personas) -> None:
    donor = recipient.donors.get()
    assert (
        monitoring.classify(event(donor, personas.nurse_a, onset_date=donor.screening_date)) is None
    )


def test_a_neoplasm_term_is_flagged_as_a_malignancy(
    recipient: Participant, personas: Personas
) -> None:
    day = INFUSED + datetime.timedelta(days=500)
    recorded = event(
        recipient,
        personas.investigator_a,
        meddra_code=BASAL_CELL,
        grade=2,
        onset_date=day,
        end_date=day,
        relation_to_msc="unlikely",
    )
    found = monitoring.classify(recorded)
    assert found is not None
    assert (found.period, found.malignancy) == (OnsetPeriod.LATE, True)
    assert monitoring.is_malignancy(recorded)


def test_the_investigator_can_flag_a_malignancy_coded_elsewhere(
    recipient: Participant, personas: Personas
) -> None:
    day = INFUSED + datetime.timedelta(days=300)
    ulcer = event(
        recipient,
        personas.investigator_a,
        meddra_code=SKIN_ULCERATION,
        grade=2,
        onset_date=day,
        end_date=day,
        relation_to_msc="unlikely",
    )
    assert not monitoring.is_malignancy(ulcer)
    flagged = event(
        recipient,
        personas.investigator_a,
        meddra_code=SKIN_ULCERATION,
        grade=2,
        onset_date=day,
        end_date=day,
        relation_to_msc="unlikely",
        malignancy=True,
        description="Carcinome épidermoïde sur ulcère chronique.",
    )
    assert monitoring.is_malignancy(flagged)
