"""The demo trial: every infused recipient has a harvest, a released batch and an infusion
record, consistent with the dates of their path."""

from __future__ import annotations

import io

from django.core.management import call_command

from sclerocell.web.product.models import Infusion, ReleaseDecision
from sclerocell.web.trial.models import Enrolment, Participant, SafetyBoardDecision


def test_every_infused_demo_recipient_has_the_whole_chain_and_cohort(db: None) -> None:
    call_command("demo", stdout=io.StringIO())
    infused = Participant.objects.filter(kind="recipient", infusion_date__isnull=False)
    assert infused.count() >= 10
    for recipient in infused:
        infusion = Infusion.objects.select_related("batch__harvest__donor", "batch__release").get(
            recipient=recipient
        )
        batch, harvest = infusion.batch, infusion.batch.harvest
        assert harvest.donor.recipient == recipient
        assert recipient.inclusion_date is not None
        assert recipient.inclusion_date <= harvest.harvested_on <= batch.manufactured_on
        assert batch.release.released
        assert batch.release.signed_at < infusion.started_at < batch.expires_at
        assert infusion.bedside_check.accepted
        assert infusion.started_at.date() == recipient.infusion_date
        assert not infusion.dose_flagged
    # The second dose level opened through a recorded safety-board decision.
    assert SafetyBoardDecision.objects.filter(dose_level=1, outcome="escalate").count() == 1
    levels = dict(Enrolment.objects.filter(kind="recipient").values_list("rank", "dose_level"))
    assert {levels[rank] for rank in levels if rank <= 10} == {1}
    assert {levels[rank] for rank in levels if rank > 10} == {2}
    assert ReleaseDecision.objects.filter(conforming=False).count() == 1
