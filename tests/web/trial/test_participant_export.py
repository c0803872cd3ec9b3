"""The CSV export of the participants: codes and dates, the caller's sites only."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from tests.web.conftest import Personas
from tests.web.trial.conftest import Trial

URL = reverse("trial:participant_export")


def rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def test_a_data_manager_exports_the_participants_of_their_site(
    trial: Trial, personas: Personas
) -> None:
    response = personas.client(personas.data_manager_a).get(URL)
    assert response["Content-Type"].startswith("text/csv")
    exported = rows(response.content)
    assert {row["code"] for row in exported} == {trial.recipient_a.code, trial.donor_a.code}
    donor = next(row for row in exported if row["kind"] == "donor")
    assert (donor["recipient"], donor["relationship"]) == (trial.recipient_a.code, "sibling")


def test_the_statistician_exports_both_sites(trial: Trial, personas: Personas) -> None:
    assert len(rows(personas.client(personas.statistician).get(URL).content)) == 4


def test_the_export_has_no_free_text_column(trial: Trial, personas: Personas) -> None:
    header = rows(personas.client(personas.statistician).get(URL).content)[0].keys()
    assert "selection_note" not in header


def test_an_investigator_may_not_export(personas: Personas) -> None:
    assert personas.client(personas.investigator_a).get(URL).status_code == 403
