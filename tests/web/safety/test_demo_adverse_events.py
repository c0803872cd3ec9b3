"""`sclerocell demo` records a handful of synthetic adverse events through the actions."""

from __future__ import annotations

import io

from django.core.management import call_command

from sclerocell.followup.reporting import ClockStatus
from sclerocell.web.safety import clocks
from sclerocell.web.safety.models import AdverseEvent, SafetyReport
from sclerocell.web.trial.models import Participant


def test_the_demo_has_an_sae_with_its_reports_a_grade_3_event_and_the_death(db: None) -> None:
    call_command("demo", stdout=io.StringIO())
    assert AdverseEvent.objects.count() >= 5
    susar = AdverseEvent.objects.get(susar=True)
    assert set(SafetyReport.objects.filter(event=susar).values_list("kind", flat=True)) == {
        "sponsor_notification",
        "susar_initial",
    }
    assert {c.status for c in clocks.clocks_of(susar)} == {ClockStatus.MET}
    assert AdverseEvent.objects.filter(grade=3, serious_hospitalisation=False).exists()
    fatal = AdverseEvent.objects.get(outcome="fatal")
    deceased = Participant.objects.get(end_cause="death")
    assert (fatal.participant_id, fatal.end_date) == (deceased.pk, deceased.end_date)
    assert AdverseEvent.objects.filter(soc__startswith="Neoplasms").exists()
