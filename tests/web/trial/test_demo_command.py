"""`sclerocell demo`: a synthetic trial through the actions, and the demo logins."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db import transaction

from sclerocell.web.accounts.models import Site, User
from sclerocell.web.accounts.roles import Role
from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.trial import demo
from sclerocell.web.trial.models import Participant
from sclerocell.web.trial.stages import Stage, stage_counts

ROOT = Path(__file__).resolve().parents[3]


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_it_creates_20_recipients_and_20_donors_at_two_sites(db: None) -> None:
    run_demo()
    assert Participant.objects.filter(kind="recipient").count() == 20
    assert Participant.objects.filter(kind="donor").count() == 20
    assert set(Participant.objects.values_list("site__number", flat=True)) == {1, 2}
    assert all(donor.recipient is not None for donor in Participant.objects.filter(kind="donor"))


def test_the_recipients_stand_at_every_stage_of_the_study(db: None) -> None:
    run_demo()
    counts = stage_counts(Participant.objects.filter(kind="recipient"))
    assert counts[Stage.SCREEN_FAILURE] >= 2
    assert counts[Stage.FOLLOW_UP] >= 3
    assert counts[Stage.COMPLETED] >= 3
    assert counts[Stage.WITHDRAWN] == 1
    assert counts[Stage.DECEASED] == 1
    assert counts[Stage.ENROLLED] >= 1
    assert counts[Stage.SCREENING] >= 1


def test_the_calendar_is_the_real_one(db: None) -> None:
    run_demo()
    dates = sorted(Participant.objects.values_list("screening_date", flat=True))
    assert dates[0].isoformat() >= "2014-03-01"
    assert dates[-1].isoformat() <= "2018-09-30"  # 4.5 years of inclusion


def test_it_creates_a_login_for_every_role(db: None) -> None:
    run_demo()
    assert {user.role for user in User.objects.all()} == {role.value for role in Role}


def test_it_prints_every_login_with_its_role_site_and_password(db: None) -> None:
    output = run_demo()
    for login in demo.LOGINS:
        line = next(line for line in output.splitlines() if f"| {login.username} " in line)
        assert login.role.value in line
        assert demo.PASSWORD in line


def test_the_demo_password_satisfies_the_password_policy(db: None) -> None:
    run_demo()
    for user in User.objects.all():
        validate_password(demo.PASSWORD, user)
        assert user.check_password(demo.PASSWORD)


def test_everything_went_through_the_actions_so_the_audit_trail_has_content(db: None) -> None:
    run_demo()
    recipient = Participant.objects.filter(kind="recipient").order_by("pk").first()
    assert recipient is not None
    events = AuditEvent.objects.for_participant(recipient)
    assert events.filter(action="register_recipient").exists()
    assert AuditEvent.objects.filter(action="update_participant").exclude(reason="").exists()


def test_the_same_seed_gives_the_same_trial(db: None) -> None:
    def fingerprint() -> list[tuple[object, ...]]:
        return list(
            Participant.objects.order_by("code").values_list(
                "code", "birth_year", "birth_month", "sex", "screening_date", "end_cause"
            )
        )

    with transaction.atomic():
        run_demo()
        first = fingerprint()
        transaction.set_rollback(True)
    run_demo()
    assert fingerprint() == first


def test_it_stops_when_the_demo_is_already_loaded(db: None) -> None:
    run_demo()
    with pytest.raises(CommandError, match="--reset-if-exists"):
        run_demo()


def test_it_never_touches_a_database_with_other_data(db: None) -> None:
    Site.objects.create(number=7, name="Real centre")
    with pytest.raises(CommandError, match="not the demo"):
        run_demo("--reset-if-exists")
    assert not Participant.objects.exists()


def test_it_can_be_run_twice_in_a_row_like_dev_py_demo(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SCLEROCELL_DATA_DIR=str(tmp_path), SCLEROCELL_REQUIRE_POSTGRES="0")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "tests.web.trial.demo_twice"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("investigateur.a") == 2
    assert "Removed the previous demo database" in done.stdout
