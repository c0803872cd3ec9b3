"""The FHIR export through ``write_fhir``: one strict R4 bundle of the given participants, with
pseudonymised patients, and nothing dated after the cut-off."""

from __future__ import annotations

import datetime
import json
import pathlib
from typing import Any

import pytest
from fhirclient.models.bundle import Bundle

from sclerocell.exchange import fhir
from sclerocell.web.exports.standards import write_fhir
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.exports.standards_trial import CUTOFF, Exported, make

LATER = datetime.date(2016, 12, 31)


@pytest.fixture
def trial(personas: Personas) -> Exported:
    return make(personas)


def bundle(files: list[pathlib.Path]) -> dict[str, Any]:
    (path,) = files
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_it_writes_one_strict_r4_bundle_whose_references_resolve(
    trial: Exported, tmp_path: pathlib.Path
) -> None:
    data = bundle(write_fhir(tmp_path, Participant.objects.all(), cutoff=LATER))
    parsed = Bundle(data, strict=True)
    assert parsed.type == "collection"
    urls = {e["fullUrl"] for e in data["entry"]}
    assert set(fhir.references(data)) <= urls
    patients = list(fhir.resources(data, "Patient"))
    assert sorted(p["identifier"][0]["value"] for p in patients) == sorted(
        [trial.recipient_a.code, trial.recipient_b.code]
    )
    for patient in patients:
        assert "name" not in patient
        assert len(patient["birthDate"]) == 4


def test_the_database_values_reach_the_resources(trial: Exported, tmp_path: pathlib.Path) -> None:
    only_a = Participant.objects.filter(pk=trial.recipient_a.pk)
    data = bundle(write_fhir(tmp_path, only_a, cutoff=LATER))
    (administration,) = fhir.resources(data, "MedicationAdministration")
    assert administration["dosage"]["dose"]["value"] == 70_000_000
    (medication,) = fhir.resources(data, "Medication")
    assert medication["batch"]["lotNumber"] == f"L2015-{trial.recipient_a.code}"
    codes = {o["code"]["coding"][0]["code"] for o in fhir.resources(data, "Observation")}
    assert {"8480-6", "14682-9", "777-3", "29463-7", "8302-2", "8310-5"} <= codes
    events = sorted(fhir.resources(data, "AdverseEvent"), key=lambda e: e["date"])
    assert [e["event"]["coding"][0]["code"] for e in events] == ["10051792", "10016558"]
    assert events[0]["suspectEntity"][0]["causality"][0]["assessment"]["coding"][0]["code"] == (
        "Probably-Likely"
    )


def test_a_participant_outside_the_queryset_is_absent(
    trial: Exported, tmp_path: pathlib.Path
) -> None:
    site_a = Participant.objects.filter(site=trial.recipient_a.site)
    (path,) = write_fhir(tmp_path, site_a, cutoff=LATER)
    text = path.read_text(encoding="utf-8")
    assert trial.recipient_b.code not in text
    assert "Centre B" not in text


def test_nothing_dated_after_the_cutoff_is_exported(
    trial: Exported, tmp_path: pathlib.Path
) -> None:
    data = bundle(write_fhir(tmp_path, Participant.objects.all(), cutoff=CUTOFF))
    dates = [o["effectiveDateTime"][:10] for o in fhir.resources(data, "Observation")]
    dates += [e["date"] for e in fhir.resources(data, "AdverseEvent")]
    assert dates and max(dates) <= CUTOFF.isoformat()
