"""Malignancy is surveyed positively at every post-infusion visit, and checked against the
adverse events: a "yes" needs a malignancy event since the previous visit, and such an event
needs a "yes" at the next visit; each gap raises a data query at the answer."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sclerocell.web.followup import actions
from sclerocell.web.followup.definitions import FORMS, data_dictionary
from sclerocell.web.followup.models import OutcomeForm, Query, Visit
from sclerocell.web.followup.templatetags.followup_tags import question
from sclerocell.web.followup.visits import expected_forms
from sclerocell.web.safety.models import AdverseEvent
from tests.web.conftest import Personas
from tests.web.followup.conftest import FollowUp, enter
from tests.web.safety.conftest import BASAL_CELL, event

D10_DAY = datetime.date(2015, 4, 25)
M1_DAY = datetime.date(2015, 5, 15)
REASON = "Corrigé d'après le dossier source."


def carcinoma(followup: FollowUp, personas: Personas, onset: datetime.date) -> AdverseEvent:
    return event(
        followup.recipient_a,
        personas.investigator_a,
        meddra_code=BASAL_CELL,
        grade=2,
        onset_date=onset,
        end_date=onset,
        relation_to_msc="unlikely",
        description="Carcinome basocellulaire du dos.",
    )


def answered(
    followup: FollowUp, personas: Personas, code: str, day: datetime.date, answer: str
) -> tuple[Visit, OutcomeForm]:
    visit = followup.visit(code, day, by=personas.nurse_a)
    form = enter(visit, "surveillance", personas.nurse_a, new_malignancy=answer)
    return visit, actions.complete_form(form, by=personas.nurse_a)


def test_the_question_is_expected_at_every_visit_after_the_infusion_through_m24() -> None:
    spec = FORMS["surveillance"]
    for code in ("D10", "M1", "M3", "M6", "M9", "M12", "M18", "M24"):
        assert spec in expected_forms(code)
    assert spec not in expected_forms("BL")
    assert spec not in expected_forms("UNS")
    assert spec.field("new_malignancy").choice_codes == ("yes", "no", "not_assessed")


def test_the_data_dictionary_publishes_the_three_answers() -> None:
    row = next(r for r in data_dictionary() if r["form"] == "surveillance")
    assert row["field"] == "new_malignancy"
    assert row["codes"] == "yes=yes | no=no | not_assessed=not assessed"
    assert row["required_to_complete"] == "yes"


def test_an_answer_of_no_without_any_event_raises_nothing(
    followup: FollowUp, personas: Personas
) -> None:
    answered(followup, personas, "D10", D10_DAY, "no")
    assert not Query.objects.exists()


def test_a_yes_without_a_malignancy_event_since_the_previous_visit_raises_a_query(
    followup: FollowUp, personas: Personas
) -> None:
    answered(followup, personas, "D10", D10_DAY, "yes")
    query = Query.objects.get()
    assert (query.form, query.field, query.rule, query.status) == (
        "surveillance",
        "new_malignancy",
        "malignancy_without_event",
        "open",
    )


def test_a_yes_with_the_malignancy_event_since_the_previous_visit_raises_nothing(
    followup: FollowUp, personas: Personas
) -> None:
    carcinoma(followup, personas, D10_DAY - datetime.timedelta(days=3))
    answered(followup, personas, "D10", D10_DAY, "yes")
    assert not Query.objects.exists()


def test_a_malignancy_event_without_a_yes_at_the_next_visit_raises_a_query(
    followup: FollowUp, personas: Personas
) -> None:
    carcinoma(followup, personas, D10_DAY - datetime.timedelta(days=3))
    answered(followup, personas, "D10", D10_DAY, "not_assessed")
    query = Query.objects.get()
    assert (query.field, query.rule) == ("new_malignancy", "malignancy_not_reported")
    with translation.override("en"):
        assert question(query) == (
            "An adverse event flagged as a malignancy has its onset since the previous visit "
            "(#1 Neoplasms benign, malignant and unspecified (incl cysts and polyps) - Other, "
            "specify, 2015-04-22), but this visit does not answer yes."
        )


def test_an_event_before_the_previous_visit_does_not_ask_for_a_yes_again(
    followup: FollowUp, personas: Personas
) -> None:
    carcinoma(followup, personas, D10_DAY - datetime.timedelta(days=3))
    answered(followup, personas, "D10", D10_DAY, "yes")
    answered(followup, personas, "M1", M1_DAY, "no")
    assert not Query.objects.exists()


def test_correcting_the_answer_to_yes_resolves_the_query(
    followup: FollowUp, personas: Personas
) -> None:
    carcinoma(followup, personas, D10_DAY - datetime.timedelta(days=3))
    visit, _form = answered(followup, personas, "D10", D10_DAY, "no")
    actions.save_form(
        visit, "surveillance", by=personas.nurse_a, values={"new_malignancy": "yes"}, reason=REASON
    )
    assert Query.objects.get().status == "closed"


@pytest.mark.parametrize("answer", ["maybe", "YES"])
def test_an_answer_outside_the_three_is_refused(
    followup: FollowUp, personas: Personas, answer: str
) -> None:
    visit = followup.visit("D10", D10_DAY, by=personas.nurse_a)
    with pytest.raises(ValidationError):
        enter(visit, "surveillance", personas.nurse_a, new_malignancy=answer)


def test_recording_the_malignancy_event_later_resolves_the_query_of_the_yes(
    followup: FollowUp, personas: Personas
) -> None:
    answered(followup, personas, "D10", D10_DAY, "yes")
    assert Query.objects.get().status == "open"
    carcinoma(followup, personas, D10_DAY - datetime.timedelta(days=3))
    assert Query.objects.get().status == "closed"


def test_a_malignancy_event_recorded_after_a_no_raises_the_query_at_once(
    followup: FollowUp, personas: Personas
) -> None:
    answered(followup, personas, "D10", D10_DAY, "no")
    assert not Query.objects.exists()
    carcinoma(followup, personas, D10_DAY - datetime.timedelta(days=3))
    assert Query.objects.get().rule == "malignancy_not_reported"
