"""`sclerocell demo`: a synthetic trial through the actions, and the demo logins."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from sclerocell.web.accounts.models import Site
from sclerocell.web.trial import demo
from sclerocell.web.trial.models import Participant

ROOT = Path(__file__).resolve().parents[3]


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_the_same_seed_gives_the_same_trial(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # The participants come from the seed; their follow-up and adverse events, loaded after
    # them from generators of their own, are left out to keep the two loads quick.
    monkeypatch.setattr(demo, "_follow_up", lambda log: None)
    monkeypatch.setattr(demo, "_adverse_events", lambda log: None)

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


def test_it_never_touches_a_database_with_other_data(db: None) -> None:
    Site.objects.create(number=7, name="Real centre")
    with pytest.raises(CommandError, match="not the demo"):
        run_demo("--reset-if-exists")
    assert not Participant.objects.exists()


@pytest.mark.sqlite  # the child process always uses a SQLite file, whatever the pass
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
        timeout=300,  # a guard against a hang: two full loads on a busy machine take a minute
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("investigateur.a") == 2
    assert "Removed the previous demo database" in done.stdout
