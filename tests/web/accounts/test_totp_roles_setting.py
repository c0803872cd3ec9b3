"""SCLEROCELL_TOTP_REQUIRED_ROLES names roles of the code; a typo stops start-up."""

from __future__ import annotations

import os
import subprocess
import sys


def load_settings(roles: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SCLEROCELL_TOTP_REQUIRED_ROLES": roles}
    env.pop("DATABASE_URL", None)
    env.pop("SCLEROCELL_REQUIRE_POSTGRES", None)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sclerocell.web.settings as s; print(s.SCLEROCELL_TOTP_REQUIRED_ROLES)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_accepts_role_names_of_the_code() -> None:
    result = load_settings("investigator,monitor")
    assert result.returncode == 0, result.stderr
    assert "['investigator', 'monitor']" in result.stdout


def test_it_refuses_an_unknown_role_by_name() -> None:
    result = load_settings("investigator,doctor")
    assert result.returncode != 0
    assert "SCLEROCELL_TOTP_REQUIRED_ROLES: unknown role(s) ['doctor']" in result.stderr
