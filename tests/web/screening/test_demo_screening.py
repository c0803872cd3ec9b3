"""The demo's screening data: consistent with each participant's path through the study.

One test: loading the demo takes seconds, and every check reads the same screening log.
"""

from __future__ import annotations

import io

from django.core.management import call_command

from sclerocell.web.screening import log
from sclerocell.web.trial.models import Participant
from sclerocell.web.trial.stages import with_stage


def test_the_demo_screens_each_participant_consistently_with_their_path(db: None) -> None:
    call_command("demo", stdout=io.StringIO())
    rows = log.rows(with_stage(Participant.objects.all()))

    # Everyone found eligible evaluates "eligible" under the default readings, and is signed.
    eligible = [r for r in rows if r.decision == "eligible"]
    assert len(eligible) >= 30
    assert all(r.verdict == "met" for r in eligible)
    assert all(r.signature is not None and r.signature.decision == "eligible" for r in eligible)

    # Screen failures fail on a named criterion, signed.
    failures: dict[str, set[str]] = {"recipient": set(), "donor": set()}
    for r in rows:
        if r.decision == "not_eligible":
            assert (r.verdict, r.signature_valid) == ("not_met", True)
            failures[r.participant.kind] |= set(r.reasons)
    assert failures == {"recipient": {"R-I3c", "R-I4"}, "donor": {"D-E1"}}

    # The recipient still in screening has missing data, and no signature.
    [pending] = [r for r in rows if r.participant.kind == "recipient" and r.stage == "screening"]
    assert (pending.verdict, pending.signature) == ("unknown", None)
    assert pending.missing > 0

    # The monitoring correction of the demo changed a signed month of birth: shown invalid.
    corrected = [r for r in rows if r.signature is not None and not r.signature_valid]
    assert [r.signature.invalidated_because for r in corrected if r.signature] == [
        "update_participant"
    ]
    assert all(r.verdict == "met" for r in corrected)
