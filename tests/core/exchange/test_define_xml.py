"""define.xml: valid Define-XML 2.0 describing every dataset and variable written; a broken
document is rejected by the schema and never written."""

from __future__ import annotations

import datetime
import io
import pathlib
import xml.etree.ElementTree as ET

import pytest
import xmlschema

from sclerocell.exchange import define_xml, sdtm
from sclerocell.exchange.clinical_records import ClinicalData
from tests.core.exchange.standards_sample import sample

CREATED = datetime.datetime(2016, 1, 5, 8, 0, tzinfo=datetime.UTC)
NS = {"odm": define_xml.ODM_NS, "def": define_xml.DEF_NS, "xlink": define_xml.XLINK_NS}


@pytest.fixture(scope="module")
def built() -> tuple[ClinicalData, tuple[sdtm.Dataset, ...], bytes]:
    data = sample()
    datasets = sdtm.build(data)
    return data, datasets, define_xml.to_bytes(define_xml.build(data, datasets, created=CREATED))


def parse(document: bytes) -> ET.Element:
    root: ET.Element = xmlschema.XMLResource(io.BytesIO(document)).root
    return root


def test_it_validates_against_the_define_2_0_schema(
    built: tuple[ClinicalData, tuple[sdtm.Dataset, ...], bytes],
) -> None:
    _data, _datasets, document = built
    assert define_xml.errors(document) == []
    assert b'def:DefineVersion="2.0.0"' in document
    assert b'def:StandardName="SDTM-IG"' in document


def test_each_dataset_has_its_structure_class_and_file(
    built: tuple[ClinicalData, tuple[sdtm.Dataset, ...], bytes],
) -> None:
    _data, datasets, document = built
    root = parse(document)
    groups = {g.get("Name"): g for g in root.iterfind(".//odm:ItemGroupDef", NS)}
    assert list(groups) == [d.spec.name for d in datasets]
    ae = groups["AE"]
    assert ae.get(f"{{{define_xml.DEF_NS}}}Class") == "EVENTS"
    assert ae.get(f"{{{define_xml.DEF_NS}}}Structure") == (
        "One record per adverse event per subject"
    )
    leaf = ae.find("def:leaf", NS)
    assert leaf is not None
    assert leaf.get(f"{{{define_xml.XLINK_NS}}}href") == "ae.xpt"
    refs = [r.get("ItemOID") for r in ae.iterfind("odm:ItemRef", NS)]
    assert refs[:4] == ["IT.AE.STUDYID", "IT.AE.DOMAIN", "IT.AE.USUBJID", "IT.AE.AESEQ"]


def test_each_variable_has_type_length_origin_and_code_list(
    built: tuple[ClinicalData, tuple[sdtm.Dataset, ...], bytes],
) -> None:
    _data, datasets, document = built
    root = parse(document)
    items = {i.get("OID"): i for i in root.iterfind(".//odm:ItemDef", NS)}
    assert len(items) == sum(len(d.spec.variables) for d in datasets)
    usubjid = items["IT.DM.USUBJID"]
    assert (usubjid.get("DataType"), usubjid.get("Length")) == ("text", "17")
    sex = items["IT.DM.SEX"]
    codelist = sex.find("odm:CodeListRef", NS)
    assert codelist is not None and codelist.get("CodeListOID") == "CL.SEX"
    origin = sex.find("def:Origin", NS)
    assert origin is not None and origin.get("Type") == "CRF"
    assert items["IT.AE.AESTDTC"].get("DataType") == "date"
    assert items["IT.AE.AESTDTC"].get("Length") is None
    dose = items["IT.EX.EXDOSE"]
    assert (dose.get("DataType"), dose.get("Length")) == ("float", "7")
    lists = {c.get("OID"): c for c in root.iterfind(".//odm:CodeList", NS)}
    coded = [i.get("CodedValue") for i in lists["CL.ARMCD"].iterfind("odm:CodeListItem", NS)]
    assert coded[:2] == ["DL1", "DL2"]
    tests = [i.get("CodedValue") for i in lists["CL.LBTESTCD"].iterfind("odm:CodeListItem", NS)]
    assert tests == ["CREAT", "PLAT"]
    alias = lists["CL.LBTESTCD"].find("odm:Alias", NS)
    assert alias is not None and alias.get("Name") == "C65047"


def test_a_broken_document_is_rejected(
    built: tuple[ClinicalData, tuple[sdtm.Dataset, ...], bytes],
) -> None:
    _data, _datasets, document = built
    no_structure = document.replace(b"def:Structure=", b"def:Layout=", 1)
    assert define_xml.errors(no_structure)
    wrong_version = document.replace(b'def:DefineVersion="2.0.0"', b'def:DefineVersion="9"')
    assert define_xml.errors(wrong_version)


def test_an_invalid_document_is_not_written(
    tmp_path: pathlib.Path,
    monkeypatch: pytest.MonkeyPatch,
    built: tuple[ClinicalData, tuple[sdtm.Dataset, ...], bytes],
) -> None:
    data, datasets, document = built
    monkeypatch.setattr(
        define_xml, "to_bytes", lambda _root: document.replace(b"def:Structure=", b"def:X=", 1)
    )
    with pytest.raises(ValueError, match="does not validate"):
        define_xml.write(data, datasets, tmp_path, created=CREATED)
    assert not (tmp_path / "define.xml").exists()


def test_it_is_written_beside_the_datasets(tmp_path: pathlib.Path) -> None:
    data = sample()
    written = sdtm.write(data, tmp_path)
    path = define_xml.write(data, written.datasets, tmp_path, created=CREATED)
    assert path == tmp_path / "define.xml"
    assert define_xml.errors(path) == []
    hrefs = {
        leaf.get(f"{{{define_xml.XLINK_NS}}}href")
        for leaf in parse(path.read_bytes()).iterfind(".//def:leaf", NS)
    }
    assert hrefs == {p.name for p in written.files}
