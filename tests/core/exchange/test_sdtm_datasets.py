"""SDTM datasets: the XPT v5 files round-trip their values and labels, study days count from the
infusion with no day 0, and names, labels and text stay within the transport format's limits."""

from __future__ import annotations

import dataclasses
import datetime
import math
import pathlib

import pandas as pd
import pyreadstat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerocell.clinical import haq
from sclerocell.exchange import sdtm
from sclerocell.exchange.clinical_records import ClinicalData, QuestionnaireItem
from tests.core.exchange.standards_sample import INFUSED, A, B, sample

DOMAINS = ("DM", "DS", "EX", "AE", "VS", "LB", "QS", "MH")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> sdtm.Written:
    return sdtm.write(sample(), tmp_path_factory.mktemp("sdtm"))


def dataset(written: sdtm.Written, name: str) -> sdtm.Dataset:
    return next(d for d in written.datasets if d.spec.name == name)


def rows(written: sdtm.Written, name: str, subject: str = A) -> list[sdtm.Row]:
    return [r for r in dataset(written, name).rows if r["USUBJID"] == f"MSC-SSC-{subject}"]


def test_it_writes_the_eight_domains_as_xpt_files(written: sdtm.Written) -> None:
    assert [p.name for p in written.files] == [f"{d.lower()}.xpt" for d in DOMAINS]
    for path in written.files:
        assert path.read_bytes().startswith(b"HEADER RECORD*******LIBRARY HEADER RECORD")


@pytest.mark.parametrize("name", DOMAINS)
def test_each_file_reads_back_with_its_values_and_labels(written: sdtm.Written, name: str) -> None:
    data = dataset(written, name)
    path = next(p for p in written.files if p.name == data.spec.filename)
    frame, meta = pyreadstat.read_xport(str(path))
    assert meta.table_name == name
    assert list(frame.columns) == [v.name for v in data.spec.variables]
    assert meta.column_labels == [v.label for v in data.spec.variables]
    assert len(frame) == len(data.rows)
    for row, (_index, read) in zip(data.rows, frame.iterrows(), strict=True):
        for variable in data.spec.variables:
            expected, found = row[variable.name], read[variable.name]
            if variable.numeric and expected is None:
                assert math.isnan(found), variable.name
            else:
                assert found == expected, (variable.name, found, expected)


def test_pandas_reads_the_same_files(written: sdtm.Written) -> None:
    path = next(p for p in written.files if p.name == "ae.xpt")
    frame = pd.read_sas(path, format="xport", encoding="ascii")
    assert list(frame["AETERM"]) == ["Infusion related reaction", "Lung infection"]
    assert list(frame["AETOXGR"]) == ["1", "3"]


def test_the_infusion_day_is_day_1_and_the_day_before_is_day_minus_1() -> None:
    assert sdtm.study_day(INFUSED, INFUSED) == 1
    assert sdtm.study_day(INFUSED - datetime.timedelta(days=1), INFUSED) == -1
    assert sdtm.study_day(INFUSED + datetime.timedelta(days=10), INFUSED) == 11
    assert sdtm.study_day(INFUSED, None) is None


@given(st.integers(min_value=-2000, max_value=2000))
def test_no_record_falls_on_day_0(offset: int) -> None:
    day = sdtm.study_day(INFUSED + datetime.timedelta(days=offset), INFUSED)
    assert day != 0
    assert day == (offset + 1 if offset >= 0 else offset)


def test_findings_carry_their_study_day_and_visit(written: sdtm.Written) -> None:
    vitals = {(r["VSTESTCD"], r["VISIT"]): r for r in rows(written, "VS")}
    assert vitals[("SYSBP", "BASELINE")]["VSDY"] == -1
    assert vitals[("PULSE", "INFUSION")]["VSDY"] == 1
    assert vitals[("PULSE", "INFUSION")]["VSTPT"] == "BEFORE"
    platelets = next(r for r in rows(written, "LB") if r["LBTESTCD"] == "PLAT")
    assert (platelets["VISIT"], platelets["VISITNUM"], platelets["LBDY"]) == ("DAY 10", 4.0, 11)


def test_a_subject_not_infused_has_no_study_days_and_no_actual_arm(written: sdtm.Written) -> None:
    (dm,) = rows(written, "DM", B)
    assert dm["RFSTDTC"] == ""
    assert (dm["ARMCD"], dm["ACTARMCD"], dm["ACTARM"]) == ("DL2", "NOTTRT", "Not Treated")
    assert all(r["DSSTDY"] is None for r in rows(written, "DS", B))


def test_demographics_keep_the_birth_year_only(written: sdtm.Written) -> None:
    (dm,) = rows(written, "DM")
    assert dm["BRTHDTC"] == "1970"
    assert dm["AGE"] == 44  # consent 2015-03-02, born June 1970
    assert (dm["SITEID"], dm["SEX"], dm["ARMCD"]) == ("01", "F", "DL1")
    assert dm["ARM"] == "Dose level 1: MSC 1 x 10^6 cells/kg"
    assert (dm["RFXSTDTC"], dm["RFXENDTC"]) == ("2015-04-15T07:40", "2015-04-15T08:20")


def test_disposition_has_the_milestones_and_the_end(written: sdtm.Written) -> None:
    decods = [r["DSDECOD"] for r in rows(written, "DS", B)]
    assert decods == ["INFORMED CONSENT OBTAINED", "ENROLLED", "WITHDRAWAL BY SUBJECT"]
    assert [r["DSSEQ"] for r in rows(written, "DS", B)] == [1, 2, 3]


def test_exposure_records_the_dose_and_the_batch(written: sdtm.Written) -> None:
    (ex,) = rows(written, "EX")
    assert (ex["EXDOSE"], ex["EXDOSU"], ex["EXLOT"]) == (1.02e6, "cells/kg", "L2015-01R0017")
    assert (ex["EXROUTE"], ex["EXSTDY"], ex["EXENDY"]) == ("INTRAVENOUS", 1, 1)


def test_adverse_events_carry_grade_seriousness_relation_and_outcome(
    written: sdtm.Written,
) -> None:
    reaction, infection = rows(written, "AE")
    assert (reaction["AESEQ"], reaction["AETOXGR"], reaction["AESER"]) == (1, "1", "N")
    assert (reaction["AEREL"], reaction["AEACN"]) == ("PROBABLE", "DOSE RATE REDUCED")
    assert reaction["AELLTCD"] == 10051792
    assert (infection["AESER"], infection["AESHOSP"], infection["AESDTH"]) == ("Y", "Y", "N")
    assert (infection["AEOUT"], infection["AEENDTC"]) == ("RECOVERING/RESOLVING", "")
    assert (infection["AESTDY"], infection["AEENDY"]) == (21, None)


def test_labs_keep_original_and_standard_units_in_ascii(written: sdtm.Written) -> None:
    creatinine, platelets = rows(written, "LB")
    assert (creatinine["LBORRES"], creatinine["LBORRESU"]) == ("0.8", "mg/dL")
    assert (creatinine["LBSTRESN"], creatinine["LBSTRESU"]) == (70.736, "umol/L")
    assert (creatinine["LBORNRLO"], creatinine["LBORNRHI"]) == ("0.5", "1.1")
    assert (creatinine["LBNRIND"], creatinine["LBCAT"]) == ("NORMAL", "CHEMISTRY")
    assert (platelets["LBSTRESU"], platelets["LBNRIND"]) == ("10^9/L", "HIGH")


def test_haq_items_get_short_test_codes(written: sdtm.Written) -> None:
    codes = {r["QSTESTCD"]: r for r in rows(written, "QS")}
    assert set(codes) == {"HAQ0101", "HAQ07AD"}
    assert codes["HAQ0101"]["QSSTRESN"] == 2
    assert codes["HAQ0101"]["QSCAT"] == "HAQ-DI"
    assert all(len(str(r["QSTEST"])) <= 40 for r in codes.values())


def test_medical_history_records_present_and_absent_findings(written: sdtm.Written) -> None:
    history = {r["MHSPID"]: r for r in rows(written, "MH")}
    assert history["systemic_sclerosis"]["MHCAT"] == "PRIMARY DIAGNOSIS"
    assert history["raynaud_phenomenon"]["MHOCCUR"] == "Y"
    assert history["ild_on_imaging"]["MHOCCUR"] == "N"
    assert history["ild_on_imaging"]["MHDY"] == -44


def test_names_labels_and_text_fit_the_transport_format(tmp_path: pathlib.Path) -> None:
    data = sample()
    long_term = dataclasses.replace(data.adverse_events[0], term="Très " + "long " * 80)
    data = ClinicalData(study=data.study, subjects=data.subjects, adverse_events=(long_term,))
    written = sdtm.write(data, tmp_path)
    for d in written.datasets:
        assert len(d.spec.name) <= 2
        for variable in d.spec.variables:
            assert len(variable.name) <= 8 and len(variable.label) <= 40
            for value in d.column(variable.name):
                if isinstance(value, str):
                    assert len(value) <= 200 and value.isascii()
    (ae,) = dataset(written, "AE").rows
    assert str(ae["AETERM"]).startswith("Tres long")


def test_a_variable_name_longer_than_8_characters_is_refused() -> None:
    with pytest.raises(ValueError, match="8 characters"):
        sdtm.Variable("AETOOLONGX", "Too long")
    with pytest.raises(ValueError, match="40 characters"):
        sdtm.Variable("AEX", "A label that goes on well beyond forty characters")


def test_the_haq_di_index_is_derived_when_six_categories_are_answered() -> None:
    data = sample()
    day = datetime.date(2015, 4, 14)
    items = tuple(
        QuestionnaireItem(
            A,
            "HAQ-DI",
            category.items[0].id,
            category.items[0].label_en,
            score,
            day,
            "BL",
            category.label_en,
        )
        for category, score in zip(haq.CATEGORIES[:6], (0, 1, 1, 2, 0, 0), strict=True)
    )
    aids = QuestionnaireItem(A, "HAQ-DI", "aids_dressing", "Aids", 1, day, "BL", "Dressing")
    data = dataclasses.replace(data, questionnaires=(*items, aids))
    qs = [r for r in dataset_of(data, "QS") if r["QSTESTCD"] == "HAQDI"]
    # dressing 0 raised to 2 by aids: (2 + 1 + 1 + 2 + 0 + 0) / 6
    assert [(r["QSSTRESN"], r["VISIT"], r["QSDY"]) for r in qs] == [(1.0, "BASELINE", -1)]
    partial = dataclasses.replace(data, questionnaires=items[:5])
    assert not [r for r in dataset_of(partial, "QS") if r["QSTESTCD"] == "HAQDI"]


def dataset_of(data: ClinicalData, name: str) -> tuple[sdtm.Row, ...]:
    return next(d for d in sdtm.build(data) if d.spec.name == name).rows
