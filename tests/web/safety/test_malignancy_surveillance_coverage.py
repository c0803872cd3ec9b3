"""The malignancy page shows, per recipient, how the surveillance question was answered at the
post-infusion visits (no / yes / not assessed / missing) and where it disagrees with the
malignancy events."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import translation

from sclerocell.web.followup import actions
from sclerocell.web.safety.monitoring import SurveillanceCoverage
from tests.web.conftest import Personas
from tests.web.followup.conftest import FollowUp, make_followup
from tests.web.safety.conftest import BASAL_CELL, event

with translation.override("fr"):
    URL = reverse("safety:malignancies")

VISITS = {
    "D10": datetime.date(2015, 4, 25),
    "M1": datetime.date(2015, 5, 15),
    "M3": datetime.date(2015, 7, 15),
    "M6": datetime.date(2015, 10, 15),
}


def surveyed(personas: Personas, answers: dict[str, str | None]) -> FollowUp:
    """Recipient A seen at D10, M1, M3 and M6, with these answers (None: no form)."""
    followup = make_followup(personas)
    for code, answer in answers.items():
        visit = followup.visit(code, VISITS[code], by=personas.nurse_a)
        if answer is not None:
            actions.save_form(
                visit, "surveillance", by=personas.nurse_a, values={"new_malignancy": answer}
            )
    return followup


def coverage_of(personas: Personas, code: str) -> SurveillanceCoverage:
    page = personas.client(personas.safety_board).get(URL)
    assert page.status_code == 200
    return next(row for row in page.context["coverage"] if row.participant.code == code)


def test_each_recipient_counts_its_answers_and_its_visits_without_one(
    personas: Personas,
) -> None:
    followup = surveyed(personas, {"D10": "no", "M1": "no", "M3": None, "M6": "not_assessed"})
    row = coverage_of(personas, followup.recipient_a.code)
    assert (row.no, row.yes, row.not_assessed, row.missing) == (2, 0, 1, 1)
    assert [v.code for v in row.visits] == ["D10", "M1", "M3", "M6"]  # the baseline is not asked
    assert row.discrepancies == []
    other = coverage_of(personas, followup.recipient_b.code)
    assert other.visits == []


def test_a_yes_backed_by_its_malignancy_event_is_no_discrepancy(personas: Personas) -> None:
    followup = surveyed(personas, {"D10": "no", "M1": "yes"})
    event(
        followup.recipient_a,
        personas.investigator_a,
        meddra_code=BASAL_CELL,
        grade=2,
        onset_date=datetime.date(2015, 5, 1),
        end_date=datetime.date(2015, 5, 20),
        relation_to_msc="unlikely",
    )
    row = coverage_of(personas, followup.recipient_a.code)
    assert (row.no, row.yes) == (1, 1)
    assert row.discrepancies == []


def test_the_page_explains_a_yes_without_an_event_and_an_event_without_a_yes(
    personas: Personas,
) -> None:
    followup = surveyed(personas, {"D10": "yes", "M1": "no"})
    event(
        followup.recipient_a,
        personas.investigator_a,
        meddra_code=BASAL_CELL,
        grade=2,
        onset_date=datetime.date(2015, 5, 1),
        end_date=datetime.date(2015, 5, 20),
        relation_to_msc="unlikely",
    )
    row = coverage_of(personas, followup.recipient_a.code)
    assert [v.code for v in row.discrepancies] == ["D10", "M1"]
    client = personas.client(personas.safety_board)
    with translation.override("en"):
        text = client.get(reverse("safety:malignancies")).content.decode()
    assert "no adverse event flagged as a malignancy has its onset since the previous visit" in text
    assert "but this visit does not answer yes" in text


def test_the_coverage_shows_only_the_users_sites(personas: Personas) -> None:
    followup = surveyed(personas, {"D10": "no"})
    page = personas.client(personas.monitor_a).get(URL)
    codes = [row.participant.code for row in page.context["coverage"]]
    assert followup.recipient_a.code in codes
    assert followup.recipient_b.code not in codes
