"""The per-site calendar: what is due next, open windows first, only the user's sites."""

from __future__ import annotations

import datetime

from django.urls import reverse

from sclerocell.web.audit.context import audit_scope
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.followup.conftest import FollowUp


def entries(personas: Personas, who: str, **query: str) -> list[tuple[str, str, str]]:
    response = personas.client(getattr(personas, who)).get(reverse("followup:calendar"), query)
    assert response.status_code == 200
    return [
        (e.participant.code, e.due.visit.code, e.due.state.status.value)
        for e in response.context["entries"]
    ]


def test_each_recipient_appears_with_its_next_visit(followup: FollowUp, personas: Personas) -> None:
    # Infused 2015-04-15: on 2015-07-05 the M3 window (2015-07-01 – 07-29) is open.
    assert entries(personas, "investigator_a", as_of="2015-07-05") == [
        (followup.recipient_a.code, "M3", "open")
    ]


def test_a_done_visit_moves_the_recipient_to_the_next_one(
    followup: FollowUp, personas: Personas
) -> None:
    followup.visit("M3", datetime.date(2015, 7, 3), by=personas.nurse_a)
    assert entries(personas, "nurse_a", as_of="2015-07-05") == [
        (followup.recipient_a.code, "M6", "due")
    ]


def test_the_horizon_hides_visits_that_open_later(followup: FollowUp, personas: Personas) -> None:
    assert entries(personas, "nurse_a", as_of="2015-06-01", horizon="10") == []
    assert entries(personas, "nurse_a", as_of="2015-06-01", horizon="30")[0][1] == "M3"


def test_staff_of_both_sites_see_both_recipients_open_first(
    followup: FollowUp, personas: Personas
) -> None:
    with audit_scope(by=None, reason="test: an earlier infusion", action="test_infusion"):
        Participant.objects.filter(pk=followup.recipient_b.pk).update(
            infusion_date=datetime.date(2015, 3, 20)
        )
    found = entries(personas, "statistician", as_of="2015-07-05")
    # B's M3 window (2015-06-06 – 07-04) has closed; its M6 is due. A's M3 is open.
    assert found == [
        (followup.recipient_a.code, "M3", "open"),
        (followup.recipient_b.code, "M6", "due"),
    ]


def test_a_participation_that_ended_leaves_the_calendar(
    followup: FollowUp, personas: Personas
) -> None:
    Participant.objects.filter(pk=followup.recipient_a.pk).update(
        end_date=datetime.date(2015, 6, 1), end_cause="withdrawal"
    )
    assert entries(personas, "investigator_a", as_of="2015-07-05") == []


def test_a_role_that_may_not_see_participants_is_refused(personas: Personas) -> None:
    assert (
        personas.client(personas.safety_board).get(reverse("followup:calendar")).status_code == 403
    )
