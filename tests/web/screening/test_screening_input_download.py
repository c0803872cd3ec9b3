"""The screening input download: the CLI gives the same tree as the page for the same data."""

from __future__ import annotations

import io
import json
from pathlib import Path

from sclerocell.facts.screening_input import parse
from sclerocell.protocol import screen_cli
from sclerocell.web.screening.evaluation import evaluate
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.screening.conftest import Screened, url
from tests.web.trial.conftest import Trial


def download(personas: Personas, participant: Participant, tmp_path: Path) -> Path:
    response = personas.client(personas.nurse_a).get(url("input_json", participant))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'screening-{participant.code}.json"')
    path = tmp_path / f"{participant.code}.json"
    path.write_bytes(response.content)
    return path


def cli_json(role: str, path: Path) -> dict[str, object]:
    out, err = io.StringIO(), io.StringIO()
    assert screen_cli.run([role, str(path), "--json"], out, err) == 0, err.getvalue()
    data: dict[str, object] = json.loads(out.getvalue())
    return data


def statuses(tree: dict[str, object]) -> dict[str, str]:
    found = {str(tree["id"]): str(tree["status"])}
    for child in tree["children"]:  # type: ignore[attr-defined]
        found.update(statuses(child))
    return found


def test_the_cli_gives_the_same_statuses_per_criterion_as_the_page(
    screened: Screened, personas: Personas, tmp_path: Path
) -> None:
    for participant in (screened.recipient, screened.donor):
        printed = cli_json(participant.kind, download(personas, participant, tmp_path))
        page = evaluate(participant).screening
        assert page is not None
        assert statuses(printed["result"]) == {  # type: ignore[arg-type]
            criterion: status.value for criterion, status in page.result.statuses().items()
        }
        assert printed["verdict"] == "met"


def test_the_cli_gives_the_same_tree_evidence_and_all(
    screened: Screened, personas: Personas, tmp_path: Path
) -> None:
    printed = cli_json("recipient", download(personas, screened.recipient, tmp_path))
    page = evaluate(screened.recipient).screening
    assert page is not None
    assert printed == json.loads(json.dumps(page.to_dict()))


def test_an_incomplete_participant_gives_the_same_undetermined_tree(
    trial: Trial, personas: Personas, tmp_path: Path
) -> None:
    printed = cli_json("recipient", download(personas, trial.recipient_a, tmp_path))
    page = evaluate(trial.recipient_a).screening
    assert page is not None
    assert printed["verdict"] == page.verdict.value == "unknown"
    assert printed["missing"] == page.to_dict()["missing"]


def test_the_download_is_a_valid_screening_input(
    screened: Screened, personas: Personas, tmp_path: Path
) -> None:
    document = json.loads(download(personas, screened.recipient, tmp_path).read_text())
    assert document["format"] == "sclerocell-screening/1"
    assert document["subject_id"] == screened.recipient.code
    assert document["index_date"] == "2015-03-02"
    assert parse(document, role="recipient").facts


def test_another_sites_participant_is_not_found(trial: Trial, personas: Personas) -> None:
    client = personas.client(personas.nurse_a)
    assert client.get(url("input_json", trial.recipient_b)).status_code == 404
