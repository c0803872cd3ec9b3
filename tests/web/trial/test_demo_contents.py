"""What `sclerocell demo` loads: a synthetic trial through the actions, and the demo logins.

The demo is loaded once for the module, in a transaction rolled back at its end (loading it
takes seconds); each test reads it inside its own savepoint: the trial's participants, the
product chains, the follow-up, the adverse events and the screening log.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from sclerocell.followup.reporting import ClockStatus
from sclerocell.followup.schedule import scheduled_visit
from sclerocell.web.accounts.models import User
from sclerocell.web.accounts.roles import Role
from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.followup.casebook import load_casebook
from sclerocell.web.followup.models import FORM_MODELS, FormStatus, Query, QueryStatus, Visit
from sclerocell.web.followup.response import patient_response
from sclerocell.web.product.models import Batch, Infusion, ReleaseDecision
from sclerocell.web.safety import clocks
from sclerocell.web.safety.models import AdverseEvent, SafetyReport
from sclerocell.web.safety.monitoring import stopping_rule_state
from sclerocell.web.screening import log
from sclerocell.web.trial import demo as demo_module
from sclerocell.web.trial.demo import SNAPSHOT
from sclerocell.web.trial.models import Enrolment, Participant, SafetyBoardDecision
from sclerocell.web.trial.stages import Stage, stage_counts, with_stage

SCHEDULE = ["D10", "M1", "M3", "M6", "M9", "M12", "M18", "M24"]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The demo's printed output; the demo stays loaded until the end of the module."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        out = io.StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_it_includes_20_recipients_and_20_donors_at_two_sites(demo: str, db: None) -> None:
    included = Participant.objects.filter(inclusion_date__isnull=False)
    assert included.filter(kind="recipient").count() == 20
    assert included.filter(kind="donor").count() == 20
    assert included.filter(kind="recipient", infusion_date__isnull=False).count() == 20
    # Screened but not included: screen failures, a donor not eligible, the reserve, …
    assert Participant.objects.filter(kind="recipient").count() > 20
    assert Participant.objects.filter(kind="donor").count() > 20
    assert set(Participant.objects.values_list("site__number", flat=True)) == {1, 2}
    assert all(donor.recipient is not None for donor in Participant.objects.filter(kind="donor"))


def test_the_recipients_stand_at_every_stage_of_the_study(demo: str, db: None) -> None:
    counts = stage_counts(Participant.objects.filter(kind="recipient"))
    assert counts[Stage.SCREEN_FAILURE] >= 2
    assert counts[Stage.FOLLOW_UP] >= 3
    assert counts[Stage.COMPLETED] >= 3
    assert counts[Stage.WITHDRAWN] == 1
    assert counts[Stage.DECEASED] == 1
    # The 20 included recipients are all infused; one more was eligible when the study was
    # full (the 21st inclusion is refused), one is still in screening.
    assert counts[Stage.ENROLLED] == 0
    assert counts[Stage.ELIGIBLE] == 1
    assert counts[Stage.SCREENING] >= 1


def test_the_calendar_is_the_real_one(demo: str, db: None) -> None:
    dates = sorted(Participant.objects.values_list("screening_date", flat=True))
    assert dates[0].isoformat() >= "2014-03-01"
    assert dates[-1].isoformat() <= "2018-09-30"  # 4.5 years of inclusion


def test_it_creates_a_login_for_every_role(demo: str, db: None) -> None:
    assert {user.role for user in User.objects.all()} == {role.value for role in Role}


def test_it_prints_every_login_with_its_role_site_and_password(demo: str, db: None) -> None:
    output = demo
    for login in demo_module.LOGINS:
        line = next(line for line in output.splitlines() if f"| {login.username} " in line)
        assert login.role.value in line
        assert demo_module.PASSWORD in line


def test_the_demo_password_satisfies_the_password_policy(demo: str, db: None) -> None:
    for user in User.objects.all():
        validate_password(demo_module.PASSWORD, user)
        assert user.check_password(demo_module.PASSWORD)


def test_everything_went_through_the_actions_so_the_audit_trail_has_content(
    demo: str, db: None
) -> None:
    recipient = Participant.objects.filter(kind="recipient").order_by("pk").first()
    assert recipient is not None
    events = AuditEvent.objects.for_participant(recipient)
    assert events.filter(action="register_recipient").exists()
    assert AuditEvent.objects.filter(action="update_participant").exclude(reason="").exists()


def test_it_stops_when_the_demo_is_already_loaded(demo: str, db: None) -> None:
    with pytest.raises(CommandError, match="--reset-if-exists"):
        call_command("demo", stdout=io.StringIO())


def test_the_demo_has_20_complete_chains_and_the_chains_that_stopped(demo: str, db: None) -> None:
    infused = Participant.objects.filter(kind="recipient", infusion_date__isnull=False)
    assert infused.count() == 20
    for recipient in infused:
        infusion = Infusion.objects.select_related("batch__harvest__donor", "batch__release").get(
            recipient=recipient
        )
        batch, harvest = infusion.batch, infusion.batch.harvest
        assert harvest.donor.recipient == recipient
        assert harvest.donor.eligibility == "eligible"
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
    assert sorted(levels) == list(range(1, 21))
    assert {levels[rank] for rank in levels if rank <= 10} == {1}
    assert {levels[rank] for rank in levels if rank > 10} == {2}
    # Every level-2 inclusion passed the stopping rule as of its date.
    level_2 = Participant.objects.filter(kind="recipient", enrolment__dose_level=2)
    for day in level_2.values_list("inclusion_date", flat=True):
        assert day is not None and not stopping_rule_state(as_of=day).stop

    # One batch released under a documented deviation; one rejected, then made again from a
    # second harvest, released and infused.
    deviations = ReleaseDecision.objects.filter(conforming=False, outcome="released")
    assert deviations.count() == 1 and deviations.get().deviation
    rejected = Batch.objects.select_related("release").get(release__outcome="rejected")
    assert not rejected.release.conforming
    remade = Infusion.objects.get(recipient=rejected.recipient).batch
    assert remade.harvest.harvested_on > rejected.release.signed_at.date()

    # A first donor found not eligible, another one chosen, the recipient infused.
    donors = [list(r.donors.order_by("sequence")) for r in infused]
    [(first, chosen)] = [pair for pair in donors if len(pair) > 1]
    assert (first.eligibility, first.inclusion_date) == ("not_eligible", None)
    assert chosen.inclusion_date is not None
    # A recipient whose only donor was not eligible is not included.
    stopped = Participant.objects.filter(kind="donor", eligibility="not_eligible")
    stopped = stopped.filter(recipient__inclusion_date__isnull=True)
    assert stopped.count() == 1
    assert stopped.get().recipient.eligibility == "not_eligible"  # type: ignore[union-attr]
    # The study is full: the recipient eligible after the 20th inclusion is not included.
    waiting = Participant.objects.get(kind="recipient", eligibility="eligible", inclusion_date=None)
    assert waiting.screening_date > max(p.inclusion_date for p in infused if p.inclusion_date)


def test_the_demo_has_24_months_of_follow_up_in_every_state(demo: str, db: None) -> None:
    statuses = {s for m in FORM_MODELS.values() for s in m.objects.values_list("status", flat=True)}
    assert statuses == set(FormStatus.values)
    assert {v.code for v in Visit.objects.all()} == {"BL", *SCHEDULE}

    # Every infused recipient has the visits that fell before the end of their participation
    # and the snapshot (one missed visit excepted); two years after the infusion, all of them.
    infused = Participant.objects.filter(kind="recipient", infusion_date__isnull=False)
    missed = 0
    for recipient in infused:
        assert recipient.infusion_date is not None
        end = min(recipient.end_date or SNAPSHOT, SNAPSHOT)
        due = [c for c in SCHEDULE if scheduled_visit(recipient.infusion_date, c).window_end < end]
        done = set(recipient.visits.values_list("code", flat=True))
        assert "BL" in done
        missed += len(set(due) - done)
        if recipient.end_cause == "completed":
            assert done == {"BL", *SCHEDULE}, recipient.code
    assert missed == 1

    # mRSS falls for the responders and not for the others.
    changes = []
    for recipient in infused.filter(end_cause="completed"):
        book = load_casebook(recipient, at_least=FormStatus.COMPLETE)
        result = patient_response(book)
        assert result.baseline is not None and result.baseline.mrss_total is not None
        last = result.visits[-1].scores.mrss_total
        assert last is not None
        changes.append(last - result.baseline.mrss_total)
    assert min(changes) <= -8 and max(changes) >= 0

    # Queries in every state: a check's query still open, one resolved by a correction, the
    # monitors' questions waiting, answered, closed, reopened.
    assert {q.status for q in Query.objects.all()} == set(QueryStatus.values)
    assert Query.objects.filter(status="open").exclude(rule="").exists()
    assert Query.objects.filter(status="closed", messages__kind="resolved").exists()
    assert Query.objects.filter(status="closed", rule="", messages__kind="close").exists()
    assert Query.objects.filter(status="open", messages__kind="reopen").exists()
    form_events = AuditEvent.objects.filter(table_name__startswith="followup_")
    assert form_events.filter(action="lock_form").exists()
    assert form_events.filter(action="sign_form").exists()


def test_the_demo_has_events_of_every_grade_saes_with_their_clocks_and_the_death(
    demo: str, db: None
) -> None:
    assert AdverseEvent.objects.count() >= 5
    assert set(AdverseEvent.objects.values_list("grade", flat=True)) == {1, 2, 3, 4, 5}
    # Serious events start the clocks: met for some, overdue for one.
    serious = AdverseEvent.objects.exclude(investigator_aware_at=None)
    statuses = [c.status for event in serious for c in clocks.clocks_of(event)]
    assert ClockStatus.MET in statuses and ClockStatus.OVERDUE in statuses
    life_threatening = AdverseEvent.objects.get(grade=4)
    assert life_threatening.serious_life_threatening and not life_threatening.susar
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


def test_the_demo_screens_each_participant_consistently_with_their_path(
    demo: str, db: None
) -> None:
    # The demo's screening data: consistent with each participant's path through the study.
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
