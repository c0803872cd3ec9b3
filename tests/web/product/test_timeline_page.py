"""Each participant's path on one page, read from the records, in the order of the chain."""

from __future__ import annotations

from sclerocell.web.product.timeline import Step, timeline
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.product import factories
from tests.web.product.helpers import french_url
from tests.web.trial.conftest import Trial

FOLLOW_UP_VISITS = (Step.BASELINE_VISIT, Step.VISIT)


def url(code: str) -> str:
    return french_url("product:timeline", code)


def test_a_recipients_path_runs_from_screening_to_follow_up(
    trial: Trial, personas: Personas
) -> None:
    made = factories.released_batch(personas, trial.recipient_a)
    recipient = Participant.objects.get(pk=trial.recipient_a.pk)
    factories.check(personas, recipient, made, recipient_code=trial.recipient_b.code)
    factories.check(personas, recipient, made)
    from sclerocell.web.product import actions

    actions.record_infusion(recipient, by=personas.nurse_a, **factories.infusion_fields())
    recipient.refresh_from_db()
    events = timeline(recipient)
    steps = [event.step for event in events if event.step not in FOLLOW_UP_VISITS]
    assert steps == [
        Step.SCREENING,
        Step.CONSENT,
        Step.ELIGIBILITY,
        Step.DONOR,
        Step.INCLUSION,
        Step.HARVEST,
        Step.BATCH,
        Step.RELEASE,
        Step.BEDSIDE_CHECK,
        Step.BEDSIDE_CHECK,
        Step.INFUSION,
        Step.FOLLOW_UP,
    ]
    days = [event.day for event in events]
    assert days == sorted(days)
    # No visit recorded: the baseline and every visit of the schedule show as missed today.
    assert {event.status for event in events if event.step in FOLLOW_UP_VISITS} == {"missed"}


def test_the_page_shows_refusals_too(trial: Trial, personas: Personas) -> None:
    made = factories.released_batch(personas, trial.recipient_a)
    recipient = Participant.objects.get(pk=trial.recipient_a.pk)
    factories.check(personas, recipient, made, recipient_code=trial.recipient_b.code)
    page = personas.client(personas.monitor_a).get(url(recipient.code))
    assert page.status_code == 200
    events = page.content.decode().split('<ol class="timeline">')[1]
    assert "Contrôle au lit refusé" in events
    assert events.index("Sélection du donneur") < events.index("Inclusion") < events.index("Lot ")


def test_a_donors_path_shows_their_harvest(trial: Trial, personas: Personas) -> None:
    made = factories.released_batch(personas, trial.recipient_a)
    steps = [event.step for event in timeline(made.harvest.donor)]
    assert steps[-2:] == [Step.INCLUSION, Step.HARVEST]
    assert Step.DONOR in steps


def test_another_sites_path_is_not_found(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.investigator_a).get(url(trial.recipient_b.code))
    assert response.status_code == 404


def test_a_role_that_sees_no_participant_is_refused(trial: Trial, personas: Personas) -> None:
    response = personas.client(personas.safety_board).get(url(trial.recipient_a.code))
    assert response.status_code == 403
