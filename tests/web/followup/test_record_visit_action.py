"""Recording visits: baseline before the infusion, each scheduled visit once, unscheduled freely."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sclerocell.web.followup import actions
from sclerocell.web.followup.models import Visit
from tests.web.conftest import Personas
from tests.web.followup.conftest import BASELINE_DAY, INFUSED, FollowUp, infuse
from tests.web.trial.conftest import new_recipient


def errors(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


def test_a_nurse_records_the_m3_visit(followup: FollowUp, personas: Personas) -> None:
    visit = followup.visit("M3", datetime.date(2015, 7, 20), by=personas.nurse_a)
    assert Visit.objects.get(pk=visit.pk).code == "M3"


def test_it_rejects_a_future_visit_date(followup: FollowUp, personas: Personas) -> None:
    future = timezone.localdate() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as error:
        followup.visit("M3", future, by=personas.nurse_a)
    assert "Cette date est dans le futur." in errors(error)["visit_date"]


def test_it_rejects_a_follow_up_visit_before_the_infusion(
    followup: FollowUp, personas: Personas
) -> None:
    with pytest.raises(ValidationError) as error:
        followup.visit("UNS", INFUSED - datetime.timedelta(days=1), by=personas.nurse_a)
    assert "visit_date" in errors(error)


def test_it_rejects_a_baseline_after_the_infusion(personas: Personas, followup: FollowUp) -> None:
    recipient = infuse(new_recipient(personas.site_a, personas.nurse_a))
    with pytest.raises(ValidationError) as error:
        actions.record_visit(
            recipient, by=personas.nurse_a, code="BL", visit_date=INFUSED + datetime.timedelta(1)
        )
    assert "visit_date" in errors(error)


def test_a_scheduled_visit_is_recorded_once(followup: FollowUp, personas: Personas) -> None:
    followup.visit("M1", datetime.date(2015, 5, 15), by=personas.nurse_a)
    with pytest.raises(ValidationError) as error:
        followup.visit("M1", datetime.date(2015, 5, 16), by=personas.nurse_a)
    assert "code" in errors(error)


def test_unscheduled_visits_may_repeat(followup: FollowUp, personas: Personas) -> None:
    followup.visit("UNS", datetime.date(2015, 5, 2), by=personas.nurse_a)
    followup.visit("UNS", datetime.date(2015, 5, 3), by=personas.nurse_a)
    assert followup.recipient_a.visits.filter(code="UNS").count() == 2


def test_visits_after_the_baseline_wait_for_the_infusion(personas: Personas) -> None:
    recipient = new_recipient(personas.site_a, personas.nurse_a)
    with pytest.raises(ValidationError) as error:
        actions.record_visit(recipient, by=personas.nurse_a, code="M1", visit_date=BASELINE_DAY)
    assert "code" in errors(error)


def test_a_donor_has_no_visits(followup: FollowUp, personas: Personas) -> None:
    with pytest.raises(ValidationError):
        actions.record_visit(
            followup.trial.donor_a, by=personas.nurse_a, code="BL", visit_date=BASELINE_DAY
        )


@pytest.mark.parametrize("persona", ["monitor_a", "data_manager_a", "statistician"])
def test_roles_that_do_not_enter_follow_up_cannot_record_a_visit(
    followup: FollowUp, personas: Personas, persona: str
) -> None:
    with pytest.raises(PermissionDenied):
        followup.visit("M1", datetime.date(2015, 5, 15), by=getattr(personas, persona))


def test_site_b_staff_cannot_record_a_visit_at_site_a(
    followup: FollowUp, personas: Personas
) -> None:
    with pytest.raises(PermissionDenied):
        followup.visit("M1", datetime.date(2015, 5, 15), by=personas.investigator_b)


def test_correcting_a_visit_date_needs_a_reason(followup: FollowUp, personas: Personas) -> None:
    visit = followup.visit("M1", datetime.date(2015, 5, 15), by=personas.nurse_a)
    with pytest.raises(ValidationError) as error:
        actions.update_visit(
            visit, by=personas.nurse_a, visit_date=datetime.date(2015, 5, 16), reason=""
        )
    assert "reason" in errors(error)
    actions.update_visit(
        visit, by=personas.nurse_a, visit_date=datetime.date(2015, 5, 16), reason="Typo."
    )
    visit.refresh_from_db()
    assert visit.visit_date == datetime.date(2015, 5, 16)
