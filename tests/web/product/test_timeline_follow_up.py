"""The follow-up on a recipient's path: visits with their status, adverse events, the end.

Chain of ``factories.infused`` (infusion 2015-04-15), then: baseline 2015-04-10, D10 on time
(2015-04-25), M1 late (window 2015-05-08 – 2015-05-22, done 2015-05-30), an unscheduled visit
2015-06-10, M3 never recorded (missed), a serious lung infection from 2015-05-05, and a
withdrawal on 2016-01-20 (visits whose window opens later are not expected and not shown).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sclerocell.web.accounts.roles import Permission, Role
from sclerocell.web.followup import actions as followup_actions
from sclerocell.web.product.timeline import Step, timeline
from sclerocell.web.safety import access as safety_access
from sclerocell.web.safety.models import AdverseEvent
from sclerocell.web.trial import actions as trial_actions
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url
from tests.web.safety.conftest import at, serious
from tests.web.trial.conftest import Trial

D = datetime.date
ENDED = D(2016, 1, 20)
REASON = "Souhaite arrêter le suivi (déménagement)"


def url(code: str) -> str:
    return french_url("product:timeline", code)


def followed(personas: Personas, recipient: Participant) -> tuple[Participant, AdverseEvent]:
    recipient = factories.infused(personas, recipient)
    by = factories.nurse(personas, recipient)
    for code, day in [
        ("BL", D(2015, 4, 10)),
        ("D10", D(2015, 4, 25)),
        ("M1", D(2015, 5, 30)),
        ("UNS", D(2015, 6, 10)),
    ]:
        followup_actions.record_visit(recipient, by=by, code=code, visit_date=day)
    event = serious(recipient, factories.staff(personas, recipient, Role.INVESTIGATOR))
    return Participant.objects.get(pk=recipient.pk), event


def ended(personas: Personas, recipient: Participant) -> Participant:
    by = factories.staff(personas, recipient, Role.INVESTIGATOR)
    return trial_actions.end_participation(
        recipient, by=by, date=ENDED, cause="withdrawal", reason=REASON
    )


def timeline_items(html: str) -> list[str]:
    """The text of each item of the timeline, tags removed."""
    listing = html.split('<ol class="timeline">')[1].split("</ol>")[0]
    items = re.findall(r"<li[^>]*>(.*?)</li>", listing, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_visits_events_and_the_end_follow_the_infusion_in_date_order(
    trial: Trial, personas: Personas
) -> None:
    recipient, _ = followed(personas, trial.recipient_a)
    ended(personas, recipient)
    page = personas.client(personas.investigator_a).get(url(recipient.code))
    assert page.status_code == 200
    items = timeline_items(page.content.decode())
    after = items[next(i for i, text in enumerate(items) if text.startswith("15/04/2015 Perf")) :]
    assert after[0].startswith("15/04/2015 Perfusion du lot")
    expected = [
        ("25/04/2015 Jour 10", "faite"),
        ("05/05/2015 Événement indésirable 1 : Lung infection (infection", "grade 3, grave ("),
        ("30/05/2015 Mois 1", "hors fenêtre"),
        ("10/06/2015 Visite non programmée", "faite"),
        ("15/07/2015 Mois 3", "manquée"),
        ("15/10/2015 Mois 6", "manquée"),
        ("15/01/2016 Mois 9", "manquée"),
        ("20/01/2016 Fin de participation", REASON),
    ]
    for (start, status), text in zip(expected, after[1 : len(expected) + 1], strict=True):
        assert text.startswith(start), (start, text)
        assert status in text, (status, text)
    assert not any("Mois 12" in text for text in items), "M12 opens after the end"
    before = items[: items.index(after[0])]
    assert any(text.startswith("10/04/2015 Visite initiale") and "faite" in text for text in before)


def test_visits_wear_the_badges_of_the_visit_pages(trial: Trial, personas: Personas) -> None:
    recipient, _ = followed(personas, trial.recipient_a)
    html = personas.client(personas.investigator_a).get(url(recipient.code)).content.decode()
    assert '<span class="badge visit-done">faite</span>' in html
    assert '<span class="badge visit-late">hors fenêtre</span>' in html
    assert '<span class="badge visit-missed">manquée</span>' in html
    visit = french_url("followup:visit_detail", recipient.code, recipient.visits.get(code="D10").pk)
    assert f'href="{visit}"' in html


def test_statuses_are_those_of_the_schedule_on_the_day_asked(
    trial: Trial, personas: Personas
) -> None:
    recipient, _ = followed(personas, trial.recipient_a)
    with translation.override("en"):
        events = timeline(recipient, as_of=D(2015, 7, 10))
    visits = {event.title: event.status for event in events if event.step == Step.VISIT}
    assert visits["Day 10"] == "done"
    assert visits["Month 1"] == "late"
    assert visits["Month 3"] == "open"  # window 2015-07-01 – 2015-07-29
    assert visits["Month 6"] == "due"


def test_another_sites_followed_recipient_is_not_found(trial: Trial, personas: Personas) -> None:
    recipient, _ = followed(personas, trial.recipient_b)
    response = personas.client(personas.investigator_a).get(url(recipient.code))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["investigator_a", "cell_therapy_a", "statistician"])
def test_every_role_the_safety_pages_let_read_events_gets_the_links(
    trial: Trial, personas: Personas, role: str
) -> None:
    recipient, event = followed(personas, trial.recipient_a)
    client = personas.client(getattr(personas, role))
    html = client.get(url(recipient.code)).content.decode()
    link = french_url("safety:participant_events", recipient.code)
    assert f'href="{link}#ae-{event.number}"' in html
    assert client.get(link).status_code == 200


def test_a_user_the_safety_access_refuses_sees_no_event_nor_link(
    trial: Trial, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No role that sees participants lacks the event read today: narrow the safety rule to
    # VIEW_SAFETY, and the cell therapy unit (no VIEW_SAFETY) loses the events here as there.
    recipient, _ = followed(personas, trial.recipient_a)
    monkeypatch.setattr(safety_access, "READ_PERMISSIONS", (Permission.VIEW_SAFETY,))
    client = personas.client(personas.cell_therapy_a)
    link = french_url("safety:participant_events", recipient.code)
    assert client.get(link).status_code == 403
    html = client.get(url(recipient.code)).content.decode()
    assert link not in html
    assert "Lung infection" not in html
    assert "Mois 1" in html


def queries_of_the_page(client: Client, code: str) -> int:
    client.get(url(code))  # session and caches warmed
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(code)).status_code == 200
    return len(captured)


def test_the_page_reads_each_list_once_whatever_the_follow_up(
    trial: Trial,
    personas: Personas,
    django_assert_max_num_queries: Any,
) -> None:
    recipient, _ = followed(personas, trial.recipient_a)
    client = personas.client(personas.monitor_a)
    before = queries_of_the_page(client, recipient.code)
    by = factories.nurse(personas, recipient)
    for code, day in [("M3", D(2015, 7, 14)), ("M6", D(2015, 10, 14)), ("UNS", D(2015, 11, 2))]:
        followup_actions.record_visit(recipient, by=by, code=code, visit_date=day)
    for onset in (D(2015, 8, 1), D(2015, 9, 1), D(2015, 12, 1)):
        serious(
            recipient,
            personas.investigator_a,
            onset_date=onset,
            end_date=onset,
            investigator_aware_at=at(onset, 10),
        )
    recipient = ended(personas, recipient)
    assert queries_of_the_page(client, recipient.code) == before
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url(recipient.code))
    html = response.content.decode()
    assert html.count('class="badge visit-') == 8  # BL, D10, M1, M3, M6, M9 and two unscheduled
    assert html.count("#ae-") == 4


# 18 measured: session, user, participant, its adverse events, the chain (consents, enrolment,
# donor, harvests, batches, checks, infusion and its vital signs, amendments), its visits, session.
MAX_QUERIES = 20


def test_the_follow_up_reads_in_english_too(trial: Trial, personas: Personas) -> None:
    recipient, _ = followed(personas, trial.recipient_a)
    with translation.override("en"):
        english = reverse("product:timeline", args=[recipient.code])
    items = timeline_items(personas.client(personas.investigator_a).get(english).content.decode())
    assert any(text.startswith("04/25/2015 Day 10 done — target 04/25/2015") for text in items)
    assert "05/05/2015 Adverse event 1: Lung infection — grade 3, serious (" in " | ".join(items)
    assert any(text.startswith("05/30/2015 Month 1 late (outside its window)") for text in items)
