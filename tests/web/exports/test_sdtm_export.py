"""The SDTM export through ``write_sdtm``: the database's recipients become XPT datasets with a
valid define.xml, only for the participants given, and nothing dated after the cut-off."""

from __future__ import annotations

import datetime
import pathlib
from typing import Any

import pyreadstat
import pytest

from sclerocell.exchange import define_xml
from sclerocell.web.exports.standards import read as read_records
from sclerocell.web.exports.standards import write_sdtm
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.exports.standards_trial import CUTOFF, Exported, make

LATER = datetime.date(2016, 12, 31)


@pytest.fixture
def trial(personas: Personas) -> Exported:
    return make(personas)


def read(files: list[pathlib.Path], name: str) -> list[dict[str, object]]:
    path = next(p for p in files if p.name == f"{name}.xpt")
    frame, _meta = pyreadstat.read_xport(str(path))
    return frame.to_dict("records")  # type: ignore[no-any-return]


def test_it_writes_the_datasets_and_a_valid_define_xml(
    trial: Exported, tmp_path: pathlib.Path
) -> None:
    files = write_sdtm(tmp_path, Participant.objects.all(), cutoff=LATER)
    names = sorted(p.name for p in files)
    assert names == sorted(
        [
            "ae.xpt",
            "define.xml",
            "dm.xpt",
            "ds.xpt",
            "ex.xpt",
            "lb.xpt",
            "mh.xpt",
            "qs.xpt",
            "vs.xpt",
        ]
    )
    assert define_xml.errors(tmp_path / "define.xml") == []
    dm = {row["SUBJID"]: row for row in read(files, "dm")}
    assert set(dm) == {trial.recipient_a.code, trial.recipient_b.code}  # donors are not subjects
    a = dm[trial.recipient_a.code]
    assert (a["RFSTDTC"], a["BRTHDTC"], a["SITEID"], a["ARMCD"]) == (
        "2015-04-15",
        "1970",
        "01",
        "DL1",
    )


def test_the_database_values_reach_the_domains(trial: Exported, tmp_path: pathlib.Path) -> None:
    files = write_sdtm(tmp_path, Participant.objects.filter(pk=trial.recipient_a.pk), cutoff=LATER)
    (ex,) = read(files, "ex")
    assert ex["EXLOT"] == f"L2015-{trial.recipient_a.code}"
    assert (ex["EXDOSE"], ex["EXSTDY"]) == (1_000_000, 1)
    creatinine = [r for r in read(files, "lb") if r["LBTESTCD"] == "CREAT"]
    baseline = next(r for r in creatinine if r["VISIT"] == "BASELINE")
    assert (baseline["LBORRES"], baseline["LBORRESU"]) == ("0.9", "mg/dL")
    assert baseline["LBSTRESU"] == "umol/L"
    assert baseline["LBSTRESN"] == pytest.approx(0.9 * 88.42)
    assert baseline["LBDY"] == -5
    assert any(r["VISIT"] == "SCREENING" for r in creatinine)
    vitals = {(r["VSTESTCD"], r["VISIT"], r["VSTPT"]) for r in read(files, "vs")}
    assert ("SYSBP", "BASELINE", "") in vitals
    assert ("TEMP", "INFUSION", "DURING") in vitals
    assert ("HEIGHT", "SCREENING", "") in vitals
    haq = {r["QSTESTCD"]: r["QSSTRESN"] for r in read(files, "qs")}
    assert haq == {"HAQ0101": 1, "HAQ0102": 2, "HAQ01AD": 1}
    history = {r["MHSPID"]: r for r in read(files, "mh")}
    assert history["raynaud_phenomenon"]["MHOCCUR"] == "Y"
    assert history["systemic_sclerosis"]["MHCAT"] == "PRIMARY DIAGNOSIS"
    (event, _late) = read(files, "ae")
    assert (event["AELLTCD"], event["AETOXGR"], event["AEREL"]) == (10051792, "1", "PROBABLE")


def test_a_participant_outside_the_queryset_is_absent(
    trial: Exported, tmp_path: pathlib.Path
) -> None:
    site_a = Participant.objects.filter(site=trial.recipient_a.site)
    files = write_sdtm(tmp_path, site_a, cutoff=LATER)
    other = trial.recipient_b.code
    for path in files:
        assert other.encode() not in path.read_bytes(), path.name
    assert b"Centre B" not in (tmp_path / "define.xml").read_bytes()


def test_nothing_dated_after_the_cutoff_is_exported(
    trial: Exported, tmp_path: pathlib.Path
) -> None:
    files = write_sdtm(tmp_path, Participant.objects.all(), cutoff=CUTOFF)
    for name, column in (("ae", "AESTDTC"), ("vs", "VSDTC"), ("lb", "LBDTC"), ("qs", "QSDTC")):
        dates = [str(r[column]) for r in read(files, name)]
        assert dates and all(d <= CUTOFF.isoformat() for d in dates), name
    assert not [r for r in read(files, "vs") if r["VISIT"] == "MONTH 3"]
    assert len(read(files, "ae")) == 2  # one each; the fever of July is not there


def test_the_database_is_read_in_a_fixed_number_of_queries(
    trial: Exported, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(16):
        data = read_records(Participant.objects.all(), cutoff=LATER)
    assert len(data.subjects) == 2
