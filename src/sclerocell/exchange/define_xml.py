"""define.xml (Define-XML 2.0.0) for the SDTM datasets of :mod:`sclerocell.exchange.sdtm`.

One ``ItemGroupDef`` per dataset (``def:Structure``, ``def:Class``, a ``def:leaf`` pointing to
its ``.xpt`` file), one ``ItemDef`` per variable (data type, length, origin, code list), the code
lists the variables use. Validated against the Define-XML 2.0 schema shipped with ``odmlib``
(which imports the ODM 1.3.2 schemas shipped beside it), with ``xmlschema``.
"""

from __future__ import annotations

import datetime
import functools
import importlib.resources
import io
import pathlib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import Any

from .clinical_records import ClinicalData
from .sdtm import CODELISTS, LB_TESTS, SDTMIG_VERSION, VS_TESTS, Dataset, Variable, arms

ODM_NS = "http://www.cdisc.org/ns/odm/v1.3"
DEF_NS = "http://www.cdisc.org/ns/def/v2.0"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
ET.register_namespace("", ODM_NS)
ET.register_namespace("def", DEF_NS)
ET.register_namespace("xlink", XLINK_NS)

FILENAME = "define.xml"
SCHEMA = "schemas/define/2.0/define2-0-0.xsd"


def _odm(tag: str) -> str:
    return f"{{{ODM_NS}}}{tag}"


def _def(tag: str) -> str:
    return f"{{{DEF_NS}}}{tag}"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    """``<tag><TranslatedText xml:lang="en">text</TranslatedText></tag>``."""
    element = ET.SubElement(parent, _odm(tag))
    translated = ET.SubElement(element, _odm("TranslatedText"), {f"{{{XML_NS}}}lang": "en"})
    translated.text = text
    return element


def _item_oid(domain: str, variable: Variable) -> str:
    return f"IT.{domain}.{variable.name}"


def _codelist_values(data: ClinicalData, datasets: Sequence[Dataset]) -> dict[str, list[str]]:
    """The coded values each code list holds: the declared ones, or those found in the data."""
    values: dict[str, list[str]] = {}
    for oid, (_name, items, _cdisc) in CODELISTS.items():
        values[oid] = [coded for coded, _decode in items]
    values["ARMCD"] = [code for code, _arm in arms(data)]
    for dataset in datasets:
        for variable in dataset.spec.variables:
            if variable.codelist and not values.get(variable.codelist):
                found = {str(v) for v in dataset.column(variable.name) if v}
                values[variable.codelist] = sorted(found)
    return values


def _decodes(data: ClinicalData) -> dict[str, dict[str, str]]:
    decodes = {oid: dict(items) for oid, (_name, items, _cdisc) in CODELISTS.items()}
    decodes["ARMCD"] = dict(arms(data))
    decodes["VSTESTCD"] = {code: name for code, name in VS_TESTS.values()}
    decodes["LBTESTCD"] = {code: name for code, name, _category in LB_TESTS.values()}
    return decodes


def build(
    data: ClinicalData,
    datasets: Sequence[Dataset],
    *,
    created: datetime.datetime,
) -> ET.Element:
    study = data.study
    root = ET.Element(
        _odm("ODM"),
        {
            "ODMVersion": "1.3.2",
            "FileType": "Snapshot",
            "FileOID": f"{study.study_id}.DEFINE.SDTM",
            "CreationDateTime": created.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "Originator": "sclerocell",
        },
    )
    study_el = ET.SubElement(root, _odm("Study"), {"OID": study.study_id})
    globals_el = ET.SubElement(study_el, _odm("GlobalVariables"))
    ET.SubElement(globals_el, _odm("StudyName")).text = study.acronym
    ET.SubElement(globals_el, _odm("StudyDescription")).text = f"{study.title} ({study.nct_id})"
    ET.SubElement(globals_el, _odm("ProtocolName")).text = study.study_id
    mdv = ET.SubElement(
        study_el,
        _odm("MetaDataVersion"),
        {
            "OID": f"MDV.{study.study_id}.SDTMIG.{SDTMIG_VERSION}",
            "Name": f"{study.acronym} SDTM tabulation",
            "Description": "SDTM datasets exported by sclerocell",
            _def("DefineVersion"): "2.0.0",
            _def("StandardName"): "SDTM-IG",
            _def("StandardVersion"): SDTMIG_VERSION,
        },
    )
    used_codelists: set[str] = set()
    values = _codelist_values(data, datasets)
    decodes = _decodes(data)
    # A code list with no value to list (e.g. no questionnaire answered yet) is left out with its
    # references: Define-XML requires at least one item in a CodeList.
    listed = {oid for oid, coded in values.items() if coded}
    for dataset in datasets:
        _item_group(mdv, dataset)
    for dataset in datasets:
        for variable in dataset.spec.variables:
            _item_def(mdv, dataset, variable, listed)
            if variable.codelist in listed:
                used_codelists.add(variable.codelist)
    for oid in sorted(used_codelists):
        _codelist(mdv, oid, values.get(oid, []), decodes.get(oid, {}))
    ET.indent(root)
    return root


def _item_group(mdv: ET.Element, dataset: Dataset) -> None:
    spec = dataset.spec
    group = ET.SubElement(
        mdv,
        _odm("ItemGroupDef"),
        {
            "OID": f"IG.{spec.name}",
            "Name": spec.name,
            "Repeating": "No" if spec.name == "DM" else "Yes",
            "IsReferenceData": "No",
            "SASDatasetName": spec.name,
            "Domain": spec.name,
            "Purpose": "Tabulation",
            _def("Structure"): spec.structure,
            _def("Class"): spec.cls,
            _def("ArchiveLocationID"): f"LF.{spec.name}",
        },
    )
    _text(group, "Description", spec.label)
    for order, variable in enumerate(spec.variables, start=1):
        attributes = {
            "ItemOID": _item_oid(spec.name, variable),
            "OrderNumber": str(order),
            "Mandatory": "Yes" if variable.mandatory else "No",
        }
        if variable.key:
            attributes["KeySequence"] = str(variable.key)
        ET.SubElement(group, _odm("ItemRef"), attributes)
    leaf = ET.SubElement(
        group, _def("leaf"), {"ID": f"LF.{spec.name}", f"{{{XLINK_NS}}}href": spec.filename}
    )
    ET.SubElement(leaf, _def("title")).text = spec.filename


def _item_def(mdv: ET.Element, dataset: Dataset, variable: Variable, listed: set[str]) -> None:
    attributes = {
        "OID": _item_oid(dataset.spec.name, variable),
        "Name": variable.name,
        "SASFieldName": variable.name,
        "DataType": variable.type,
    }
    if variable.type in ("text", "integer", "float"):
        attributes["Length"] = str(dataset.length(variable))
    if variable.type == "float":
        attributes["SignificantDigits"] = str(dataset.significant_digits(variable))
    item = ET.SubElement(mdv, _odm("ItemDef"), attributes)
    _text(item, "Description", variable.label)
    if variable.codelist in listed:
        ET.SubElement(item, _odm("CodeListRef"), {"CodeListOID": f"CL.{variable.codelist}"})
    ET.SubElement(item, _def("Origin"), {"Type": variable.origin})


def _codelist(mdv: ET.Element, oid: str, values: Iterable[str], decodes: dict[str, str]) -> None:
    name, _items, cdisc = CODELISTS.get(oid, (oid, (), ""))
    codelist = ET.SubElement(
        mdv, _odm("CodeList"), {"OID": f"CL.{oid}", "Name": name, "DataType": "text"}
    )
    for value in values:
        decode = decodes.get(value, "")
        if decode:
            item = ET.SubElement(codelist, _odm("CodeListItem"), {"CodedValue": value})
            _text(item, "Decode", decode)
        else:
            ET.SubElement(codelist, _odm("EnumeratedItem"), {"CodedValue": value})
    if cdisc:
        ET.SubElement(codelist, _odm("Alias"), {"Context": "nci:ExtCodeID", "Name": cdisc})


def to_bytes(root: ET.Element) -> bytes:
    document: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return document


@functools.cache
def schema() -> Any:
    """The Define-XML 2.0 schema (with the ODM 1.3.2 schemas it imports), loaded once."""
    import xmlschema

    path = importlib.resources.files("odmlib") / SCHEMA
    return xmlschema.XMLSchema(str(path))


def errors(document: bytes | pathlib.Path) -> list[str]:
    """Schema errors of a define.xml (empty when it is valid)."""
    source = document.read_bytes() if isinstance(document, pathlib.Path) else document
    return [str(error.reason or error) for error in schema().iter_errors(io.BytesIO(source))]


def write(
    data: ClinicalData,
    datasets: Sequence[Dataset],
    directory: pathlib.Path,
    *,
    created: datetime.datetime,
) -> pathlib.Path:
    """Write define.xml beside the datasets; refuse to write one the schema rejects."""
    document = to_bytes(build(data, datasets, created=created))
    problems = errors(document)
    if problems:
        raise ValueError("define.xml does not validate: " + "; ".join(problems[:5]))
    path = directory / FILENAME
    path.write_bytes(document)
    return path
