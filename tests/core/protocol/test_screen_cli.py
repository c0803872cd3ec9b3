"""``sclerocell screen``: the verdict tree or JSON from a screening input file."""

from __future__ import annotations

import io
import json
from pathlib import Path

from sclerocell.protocol.screen_cli import run

from .build import EXAMPLES


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_it_prints_the_recipient_verdict_tree() -> None:
    code, out, _ = call("recipient", str(EXAMPLES / "recipient.json"), "--width", "140")
    assert code == 0
    assert "Verdict: met — Eligible" in out
    assert "R-E2b.clearance" in out
    assert "reading: Cockcroft–Gault indexed to 1.73 m²" in out


def test_it_prints_the_donor_verdict_in_french() -> None:
    code, out, _ = call("donor", str(EXAMPLES / "donor.json"), "--lang", "fr")
    assert code == 0
    assert "Verdict : met — Éligible" in out
    assert "CRITÈRE" in out


def test_it_prints_json_with_the_version_settings_and_evidence() -> None:
    code, out, _ = call("recipient", str(EXAMPLES / "recipient.json"), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["verdict"] == "met"
    assert data["protocol_version"].startswith("MSC-SSc protocol v1 + settings ")
    assert data["result"]["children"][0]["id"] == "recipient.inclusion"


def test_it_screens_at_another_index_date_and_lists_what_is_missing() -> None:
    code, out, _ = call(
        "recipient",
        str(EXAMPLES / "recipient.json"),
        "--index-date",
        "2025-05-15",
        "--width",
        "200",
    )
    assert code == 0
    assert "Verdict: unknown" in out
    assert "What would decide the undetermined criteria:" in out
    assert "a measurement of DLCO (% predicted) within the 3 months before the index date" in out


def test_it_applies_a_setting_from_the_command_line() -> None:
    _, default, _ = call("recipient", str(EXAMPLES / "recipient.json"), "--json")
    code, out, _ = call(
        "recipient",
        str(EXAMPLES / "recipient.json"),
        "--json",
        "--setting",
        "r_v1b_change=absolute",
    )
    assert code == 0
    assert json.loads(out)["settings_hash"] != json.loads(default)["settings_hash"]


def test_it_reports_invalid_input_at_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "role": "recipient",
                "subject_id": "R-9",
                "measurements": [{"code": "dlco_pct_pred", "date": "2024-13-01", "value": 40}],
            }
        )
    )
    code, _, err = call("recipient", str(bad))
    assert code == 1
    assert "measurements[0].date: expected a date YYYY-MM-DD" in err


def test_it_refuses_a_file_for_the_other_role() -> None:
    code, _, err = call("recipient", str(EXAMPLES / "donor.json"), "--lang", "fr")
    assert code == 1
    assert "role" in err


def test_it_refuses_a_bad_command_line(tmp_path: Path) -> None:
    assert call("recipient", str(tmp_path / "missing.json"))[0] == 2
    assert call("recipient", str(EXAMPLES / "recipient.json"), "--setting", "nonsense=1")[0] == 2
    assert call("patient", str(EXAMPLES / "recipient.json"))[0] == 2
