"""The reporting-clocks page: overdue first, the user's sites only."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import translation

from sclerocell.followup.reporting import ClockStatus
from tests.web.conftest import Personas
from tests.web.safety.conftest import Safety, serious

with translation.override("fr"):
    URL = reverse("safety:clocks")


def test_overdue_clocks_come_first(safety: Safety, personas: Personas) -> None:
    now = datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0)
    serious(
        safety.recipient_a,
        personas.investigator_a,
        expectedness="expected",
        onset_date=now.date() - datetime.timedelta(days=1),
        end_date=None,
        outcome="recovering",
        investigator_aware_at=now - datetime.timedelta(hours=2),
    )
    page = personas.client(personas.pharmacovigilance_a).get(URL)
    assert page.status_code == 200
    statuses = [clock.status for clock in page.context["overdue"] + page.context["others"]]
    assert statuses == [ClockStatus.OVERDUE, ClockStatus.OVERDUE, ClockStatus.PENDING]
    text = page.content.decode()
    assert text.index("en retard") < text.index("en attente")


def test_it_shows_only_the_users_sites(safety: Safety, personas: Personas) -> None:
    text = personas.client(personas.pharmacovigilance_a).get(URL).content.decode()
    assert safety.recipient_a.code in text
    assert safety.recipient_b.code not in text
    other = personas.client(personas.investigator_b).get(URL).content.decode()
    assert safety.recipient_b.code in other and safety.recipient_a.code not in other


def test_the_safety_board_sees_both_sites_but_no_record_link(
    safety: Safety, personas: Personas
) -> None:
    text = personas.client(personas.safety_board).get(URL).content.decode()
    assert safety.recipient_a.code in text and safety.recipient_b.code in text
    assert not re.search(r"adverse-events/\d+/report/", text)  # no link to record a report


def test_a_nurse_does_not_see_the_safety_pages(safety: Safety, personas: Personas) -> None:
    assert personas.client(personas.nurse_a).get(URL).status_code == 403
