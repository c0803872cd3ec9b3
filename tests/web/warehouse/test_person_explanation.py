"""Each listed person of a pre-screen links to their full explanation: the screening page's
verdict tree from the run's facts, only for the user's own site's runs, audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from django.urls import reverse

from sclerocell.prescreen.run import explain
from sclerocell.web.audit.models import AuditExport
from tests.web.conftest import Personas
from tests.web.warehouse.conftest import Warehouse

PAGE = reverse("warehouse:prescreen")
PERSON = reverse("warehouse:person")


def first(run: Path, name: str) -> str:
    person: str = pq.read_table(run / f"{name}.parquet").column("person_id")[0].as_py()
    return str(person)


def link(run: Path, person: str) -> str:
    return f"{PERSON}?site=1&amp;run={run.name}&amp;person={person}"


def test_each_eligible_and_to_confirm_person_links_to_their_explanation(
    personas: Personas, with_a_run: Path
) -> None:
    html = personas.client(personas.investigator_a).get(PAGE).content.decode()
    assert link(with_a_run, first(with_a_run, "eligible")) in html
    assert link(with_a_run, first(with_a_run, "to_confirm")) in html
    assert AuditExport.objects.count() == 0


@pytest.mark.parametrize("listed", ["eligible", "to_confirm"])
def test_the_explanation_is_the_screening_tree_of_the_persons_facts_and_is_audited(
    personas: Personas, with_a_run: Path, listed: str
) -> None:
    person = first(with_a_run, listed)
    client = personas.client(personas.nurse_a)
    response = client.get("/en" + PERSON[3:], {"site": 1, "run": with_a_run.name, "person": person})
    assert response.status_code == 200
    html = response.content.decode()

    screening = explain(with_a_run, person)
    row = next(
        r
        for r in pq.read_table(with_a_run / "statuses.parquet").to_pylist()
        if r["subject_id"] == person
    )
    assert f'id="verdict" data-status="{row["recipient"]}"' in html
    for _depth, node in screening.result.walk():
        assert f'data-criterion="{node.id}" data-status="{node.status.value}"' in html
        if node.id in row:
            assert node.status.value == row[node.id]
    assert "What would decide the undetermined criteria" in html or listed == "eligible"
    assert 'class="tree"' in html and "measurement:" in html
    assert AuditExport.objects.filter(format="explain").count() == 1


def test_the_explanation_speaks_french_by_default(personas: Personas, with_a_run: Path) -> None:
    person = first(with_a_run, "to_confirm")
    html = (
        personas.client(personas.nurse_a)
        .get(PERSON, {"site": 1, "run": with_a_run.name, "person": person})
        .content.decode()
    )
    assert "Critères, statut et éléments" in html
    assert "Ce qui déciderait les critères indéterminés" in html


def test_another_sites_staff_and_another_sites_runs_answer_404(
    personas: Personas, with_a_run: Path, settings: Any, tiny_warehouse: Warehouse
) -> None:
    settings.SCLEROCELL_WAREHOUSES = {
        1: str(tiny_warehouse.location),
        2: str(tiny_warehouse.location),
    }
    person = first(with_a_run, "to_confirm")
    client = personas.client(personas.investigator_b)
    for site in (1, 2):
        query = {"site": site, "run": with_a_run.name, "person": person}
        assert client.get(PERSON, query).status_code == 404
    assert AuditExport.objects.count() == 0


@pytest.mark.parametrize(
    "query",
    [
        {"run": "../site-01/x", "person": "1"},
        {"run": "20000101T000000000000Z", "person": "1"},
        {"person": "999999999"},
        {"person": "1 OR 1=1"},
        {"site": "2"},
    ],
)
def test_an_unknown_run_or_person_answers_404(
    personas: Personas, with_a_run: Path, query: dict[str, str]
) -> None:
    full = {"site": "1", "run": with_a_run.name, "person": first(with_a_run, "eligible"), **query}
    assert personas.client(personas.nurse_a).get(PERSON, full).status_code == 404


@pytest.mark.parametrize("persona", ["monitor_a", "cell_therapy_a"])
def test_roles_without_screening_or_reports_rights_cannot_read_an_explanation(
    personas: Personas, with_a_run: Path, persona: str
) -> None:
    query = {"site": 1, "run": with_a_run.name, "person": first(with_a_run, "eligible")}
    assert personas.client(getattr(personas, persona)).get(PERSON, query).status_code == 403
