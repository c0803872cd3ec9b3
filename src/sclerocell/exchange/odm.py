"""CDISC ODM 1.3.2: the study's metadata, its clinical data and their audit records, in one XML
file; a validator (the official XSD plus the references the XSD cannot check) and a reader.

The file (``FileType="Snapshot"``, ``Granularity="All"``):

- ``Study``: ``GlobalVariables``; ``BasicDefinitions`` with one ``MeasurementUnit`` per unit of
  the forms; one ``MetaDataVersion`` with the ``Protocol`` (the visits in schedule order), one
  ``StudyEventDef`` per visit (``UNS`` repeating and unscheduled; every form may be recorded at
  every visit, ``Mandatory="Yes"`` where the protocol expects it), one ``FormDef`` and one
  ``ItemGroupDef`` per form, one ``ItemDef`` per field (``DataType``, question in French and
  English, unit, hard and soft ``RangeCheck``), one ``CodeList`` per code list.
- ``AdminData``: the users named in the audit records (login, role) and the sites
  (``Location``).
- ``ClinicalData``: per subject (``SubjectKey`` = study code, ``SiteRef`` = site) the visits
  (``StudyEventRepeatKey`` numbers unscheduled visits), their forms and the entered values; a
  missing value has no ``ItemData``. Each ``FormData`` and ``ItemData`` carries the
  ``AuditRecord`` of its latest change (who, where, when, the reason, and the audit event in
  ``SourceID``); ``AuditRecords`` lists every audit event of the exported forms (``ID`` =
  ``AR.<sequence number>``).

Values: integers in decimal digits, decimals fixed-point, booleans ``1``/``0``, dates ISO. The
file carries what was entered: the columns the analysis tables derive (``Column.derived``) are
left out.

The 1.3.2 XSD declares no key references, so :func:`validate` also checks that every OID
reference resolves and every value fits its ``DataType`` and code list.
"""

from __future__ import annotations

import datetime
import functools
import importlib.resources
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import xmlschema

from .crf import AuditEntry, Column, ColumnType, Extract, FormDef, FormRecord, User, Value

__all__ = [
    "NS",
    "OdmAudit",
    "OdmContent",
    "OdmForm",
    "OdmInvalidError",
    "build_odm",
    "check_references",
    "read_odm",
    "schema",
    "validate",
]

NS = "http://www.cdisc.org/ns/odm/v1.3"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SYSTEM_USER = "USR.system"


class OdmInvalidError(ValueError):
    """The document is not valid ODM 1.3.2; ``errors`` says where."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors[:5]))
        self.errors = errors


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    # Written unqualified under a root that declares the ODM namespace as the default one.
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _translated(parent: ET.Element, tag: str, fr: str, en: str) -> ET.Element:
    element = _el(parent, tag)
    _el(element, "TranslatedText", en, **{XML_LANG: "en"})
    _el(element, "TranslatedText", fr, **{XML_LANG: "fr"})
    return element


# --- OIDs --------------------------------------------------------------------------------------


def event_oid(visit: str) -> str:
    return f"SE.{visit}"


def form_oid(form: str) -> str:
    return f"F.{form}"


def group_oid(form: str) -> str:
    return f"IG.{form}"


def item_oid(form: str, column: str) -> str:
    return f"IT.{form}.{column}"


def codelist_oid(form: str, column: str) -> str:
    return f"CL.{form}.{column}"


def location_oid(site: int) -> str:
    return f"LOC.{site:02d}"


def entered(form: FormDef) -> tuple[Column, ...]:
    """The columns the ODM file carries: entered ones (derived columns are for the tables)."""
    return tuple(column for column in form.columns if not column.derived)


def _unit_oids(forms: Iterable[FormDef]) -> dict[str, str]:
    units = sorted({c.unit for f in forms for c in entered(f) if c.unit})
    return {unit: f"MU.{i:02d}" for i, unit in enumerate(units, start=1)}


# --- Values ------------------------------------------------------------------------------------

DATA_TYPES = {
    ColumnType.INTEGER: "integer",
    ColumnType.DECIMAL: "float",
    ColumnType.BOOLEAN: "boolean",
    ColumnType.CODE: "text",
    ColumnType.DATE: "date",
    ColumnType.TEXT: "text",
}


def odm_value(value: Value) -> str | None:
    """The ODM text of a value; ``None`` for a missing one (no ``ItemData`` is written)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def parse_value(data_type: str, text: str) -> Value:
    """The Python value of an ``ItemData`` ``Value`` of the given ODM ``DataType``."""
    if data_type == "integer":
        return int(text)
    if data_type == "float":
        return Decimal(text)
    if data_type == "boolean":
        return text in ("1", "true")
    if data_type == "date":
        return datetime.date.fromisoformat(text)
    return text


def _timestamp(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("audit timestamps must be aware (UTC)")
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


# --- Metadata ----------------------------------------------------------------------------------


def _item_def(mdv: ET.Element, form: FormDef, column: Column, units: Mapping[str, str]) -> None:
    attrs = {
        "OID": item_oid(form.code, column.name),
        "Name": column.name,
        "DataType": DATA_TYPES[column.type],
    }
    if column.type is ColumnType.DECIMAL and column.digits:
        attrs["Length"] = str(column.digits)
        attrs["SignificantDigits"] = str(column.decimals)
    if column.type is ColumnType.TEXT and column.max_length:
        attrs["Length"] = str(column.max_length)
    if column.type is ColumnType.CODE and column.codes:
        attrs["Length"] = str(max(len(code.value) for code in column.codes))
    item = _el(mdv, "ItemDef", **attrs)
    if column.note:  # written in English only
        description = _el(item, "Description")
        _el(description, "TranslatedText", column.note, **{XML_LANG: "en"})
    _translated(item, "Question", column.label_fr, column.label_en)
    if column.unit:
        _el(item, "MeasurementUnitRef", MeasurementUnitOID=units[column.unit])
    checks: list[tuple[str, Decimal | None, str]] = [
        ("GE", column.minimum, "Hard"),
        ("LE", column.maximum, "Hard"),
    ]
    if column.plausible is not None:
        checks += [("GE", column.plausible[0], "Soft"), ("LE", column.plausible[1], "Soft")]
    for comparator, limit, kind in checks:
        if limit is None or column.codes:
            continue
        check = _el(item, "RangeCheck", Comparator=comparator, SoftHard=kind)
        _el(check, "CheckValue", format(limit, "f"))
    if column.codes:
        _el(item, "CodeListRef", CodeListOID=codelist_oid(form.code, column.name))


def _code_list(mdv: ET.Element, form: FormDef, column: Column) -> None:
    data_type = "integer" if column.type is ColumnType.INTEGER else "text"
    code_list = _el(
        mdv,
        "CodeList",
        OID=codelist_oid(form.code, column.name),
        Name=f"{form.code}.{column.name}",
        DataType=data_type,
    )
    for order, code in enumerate(column.codes, start=1):
        item = _el(code_list, "CodeListItem", CodedValue=code.value, OrderNumber=str(order))
        _translated(item, "Decode", code.label_fr, code.label_en)


def _study(root: ET.Element, extract: Extract) -> None:
    info = extract.study
    study = _el(root, "Study", OID=info.oid)
    global_variables = _el(study, "GlobalVariables")
    _el(global_variables, "StudyName", info.name)
    _el(global_variables, "StudyDescription", info.description)
    _el(global_variables, "ProtocolName", info.protocol_name)
    units = _unit_oids(extract.forms)
    basic = _el(study, "BasicDefinitions")
    for unit, oid in units.items():
        measurement = _el(basic, "MeasurementUnit", OID=oid, Name=unit)
        symbol = _el(measurement, "Symbol")
        _el(symbol, "TranslatedText", unit)
    mdv = _el(
        study,
        "MetaDataVersion",
        OID=f"MDV.{info.metadata_version}",
        Name=f"{info.protocol_name} eCRF v{info.metadata_version}",
    )
    protocol = _el(mdv, "Protocol")
    for order, visit in enumerate(extract.visits, start=1):
        _el(
            protocol,
            "StudyEventRef",
            StudyEventOID=event_oid(visit.code),
            OrderNumber=str(order),
            Mandatory="No" if visit.repeating else "Yes",
        )
    for visit in extract.visits:
        event = _el(
            mdv,
            "StudyEventDef",
            OID=event_oid(visit.code),
            Name=visit.name_en,
            Repeating="Yes" if visit.repeating else "No",
            Type="Unscheduled" if visit.repeating else "Scheduled",
        )
        _translated(event, "Description", visit.name_fr, visit.name_en)
        for order, form in enumerate(extract.forms, start=1):
            _el(
                event,
                "FormRef",
                FormOID=form_oid(form.code),
                OrderNumber=str(order),
                Mandatory="Yes" if visit.code in form.expected_at else "No",
            )
    for form in extract.forms:
        form_def = _el(mdv, "FormDef", OID=form_oid(form.code), Name=form.title_en, Repeating="No")
        _translated(form_def, "Description", form.title_fr, form.title_en)
        _el(form_def, "ItemGroupRef", ItemGroupOID=group_oid(form.code), Mandatory="Yes")
    for form in extract.forms:
        group = _el(mdv, "ItemGroupDef", OID=group_oid(form.code), Name=form.code, Repeating="No")
        for order, column in enumerate(entered(form), start=1):
            _el(
                group,
                "ItemRef",
                ItemOID=item_oid(form.code, column.name),
                OrderNumber=str(order),
                Mandatory="Yes" if column.required else "No",
            )
    for form in extract.forms:
        for column in entered(form):
            _item_def(mdv, form, column, units)
    for form in extract.forms:
        for column in entered(form):
            if column.codes:
                _code_list(mdv, form, column)


def _admin(root: ET.Element, extract: Extract) -> None:
    admin = _el(root, "AdminData", StudyOID=extract.study.oid)
    sites = {site.number for site in extract.sites}
    known = {user.oid: user for user in extract.users}
    for oid in sorted({entry.user_oid for entry in extract.audit}):
        user = known.get(oid) or User(oid, oid.removeprefix("USR."))
        element = _el(admin, "User", OID=user.oid, UserType=_user_type(user.role))
        _el(element, "LoginName", user.login)
        _el(element, "DisplayName", user.full_name or user.login)
        if user.role:
            _el(element, "Organization", user.role)
        for number in sorted(set(user.sites) & sites):
            _el(element, "LocationRef", LocationOID=location_oid(number))
    for site in extract.sites:
        location = _el(
            admin, "Location", OID=location_oid(site.number), Name=site.name, LocationType="Site"
        )
        _el(
            location,
            "MetaDataVersionRef",
            StudyOID=extract.study.oid,
            MetaDataVersionOID=f"MDV.{extract.study.metadata_version}",
            EffectiveDate=extract.study.metadata_effective.isoformat(),
        )


def _user_type(role: str) -> str:
    if role in ("investigator", "research_nurse"):
        return "Investigator"
    if role in ("data_manager", "monitor", "statistician", "pharmacovigilance"):
        return "Sponsor"
    return "Other"


# --- Clinical data -----------------------------------------------------------------------------


def _audit_record(parent: ET.Element, entry: AuditEntry, *, with_id: bool = False) -> None:
    attrs = {"ID": f"AR.{entry.seq}"} if with_id else {}
    if entry.role == "monitor":
        attrs["EditPoint"] = "Monitoring"
    elif entry.channel == "direct_sql":
        attrs["EditPoint"] = "DBAudit"
    record = _el(parent, "AuditRecord", **attrs)
    _el(record, "UserRef", UserOID=entry.user_oid)
    _el(record, "LocationRef", LocationOID=location_oid(entry.site))
    _el(record, "DateTimeStamp", _timestamp(entry.occurred_at))
    if entry.reason:
        _el(record, "ReasonForChange", entry.reason)
    _el(record, "SourceID", _source_id(entry) if with_id else f"audit_event seq={entry.seq}")


def _source_id(entry: AuditEntry) -> str:
    """The audit event in full (the collection); a value's own record names only its seq."""
    fields = ",".join(entry.changed)
    return (
        f"audit_event seq={entry.seq} table={entry.table} row={entry.row} "
        f"operation={entry.operation} action={entry.action} fields={fields} "
        f"hash={entry.hash}"
    )


def _latest(entries: list[AuditEntry], column: str) -> AuditEntry | None:
    for entry in reversed(entries):
        if column in entry.changed or entry.operation == "insert":
            return entry
    return None


def _clinical(root: ET.Element, extract: Extract) -> None:
    info = extract.study
    clinical = _el(
        root, "ClinicalData", StudyOID=info.oid, MetaDataVersionOID=f"MDV.{info.metadata_version}"
    )
    trail: dict[tuple[str, str], list[AuditEntry]] = defaultdict(list)
    for entry in sorted(extract.audit, key=lambda e: e.seq):
        trail[(entry.table, entry.row)].append(entry)
    by_subject: dict[str, list[FormRecord]] = defaultdict(list)
    for record in extract.records:
        by_subject[record.subject].append(record)
    sites = {s.code: s.site for s in extract.subjects if s.kind == "recipient"}
    sites.update({r.subject: r.site for r in extract.records})
    visit_order = {visit.code: i for i, visit in enumerate(extract.visits)}
    forms = {form.code: form for form in extract.forms}
    form_order = {form.code: i for i, form in enumerate(extract.forms)}
    for subject in sorted(sites):
        subject_data = _el(clinical, "SubjectData", SubjectKey=subject)
        _el(subject_data, "SiteRef", LocationOID=location_oid(sites[subject]))
        records = sorted(
            by_subject[subject],
            key=lambda r: (visit_order.get(r.visit, 99), r.instance, form_order[r.form]),
        )
        events: dict[tuple[str, int], ET.Element] = {}
        for record in records:
            key = (record.visit, record.instance)
            if key not in events:
                attrs = {"StudyEventOID": event_oid(record.visit)}
                if record.visit == "UNS":
                    attrs["StudyEventRepeatKey"] = str(record.instance)
                events[key] = _el(subject_data, "StudyEventData", **attrs)
            _form_data(events[key], record, forms[record.form], trail[(record.table, record.row)])
    audit_records = _el(clinical, "AuditRecords")
    for entry in sorted(extract.audit, key=lambda e: e.seq):
        _audit_record(audit_records, entry, with_id=True)


def _form_data(
    event: ET.Element, record: FormRecord, form: FormDef, entries: list[AuditEntry]
) -> None:
    form_data = _el(event, "FormData", FormOID=form_oid(form.code))
    if entries:
        _audit_record(form_data, entries[-1])
    group = _el(form_data, "ItemGroupData", ItemGroupOID=group_oid(form.code))
    for column in entered(form):
        text = odm_value(record.values.get(column.name))
        if text is None:
            continue
        item = _el(group, "ItemData", ItemOID=item_oid(form.code, column.name), Value=text)
        latest = _latest(entries, column.name)
        if latest is not None:
            _audit_record(item, latest)


def build_odm(extract: Extract, *, created: datetime.datetime, file_oid: str) -> bytes:
    """The ODM 1.3.2 document of ``extract`` (UTF-8 bytes, with the XML declaration)."""
    root = ET.Element(
        "ODM",
        {
            "xmlns": NS,
            "FileType": "Snapshot",
            "Granularity": "All",
            "FileOID": file_oid,
            "CreationDateTime": _timestamp(created),
            "AsOfDateTime": _timestamp(created),
            "ODMVersion": "1.3.2",
            "Originator": "sclerocell",
            "SourceSystem": "sclerocell",
            "SourceSystemVersion": extract.source_system_version or "unknown",
            "Description": f"{extract.study.name}: clinical data to the cut-off "
            f"{extract.cutoff.isoformat()}",
        },
    )
    _study(root, extract)
    _admin(root, extract)
    _clinical(root, extract)
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


# --- Validation --------------------------------------------------------------------------------


@functools.cache
def schema() -> xmlschema.XMLSchema10:
    """The official ODM 1.3.2 schema, as shipped by odmlib (read from disk, never fetched)."""
    folder = importlib.resources.files("odmlib") / "schemas" / "odm" / "1.3.2"
    with importlib.resources.as_file(folder / "ODM1-3-2.xsd") as path:
        return xmlschema.XMLSchema10(str(path), allow="local")


def _parse(document: bytes) -> ET.Element:
    # Documents read here are the application's own exports (or a test's); the standard parser
    # expands no external entity, and expat ≥ 2.4.1 refuses entity-expansion bombs.
    return ET.fromstring(document)  # noqa: S314


def validate(document: bytes) -> list[str]:
    """Every problem of the document: schema errors first, then unresolved references."""
    try:
        root = _parse(document)
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    errors = [_schema_error(error) for error in schema().iter_errors(root)]
    return errors + check_references(root)


def _schema_error(error: xmlschema.XMLSchemaValidationError) -> str:
    return f"{error.path}: {error.reason}"


def _oids(root: ET.Element, tag: str) -> set[str]:
    return {e.get("OID", "") for e in root.iter(_q(tag))}


REFERENCES = {
    "StudyEventRef": ("StudyEventOID", "StudyEventDef"),
    "FormRef": ("FormOID", "FormDef"),
    "ItemGroupRef": ("ItemGroupOID", "ItemGroupDef"),
    "ItemRef": ("ItemOID", "ItemDef"),
    "CodeListRef": ("CodeListOID", "CodeList"),
    "MeasurementUnitRef": ("MeasurementUnitOID", "MeasurementUnit"),
    "UserRef": ("UserOID", "User"),
    "LocationRef": ("LocationOID", "Location"),
    "SiteRef": ("LocationOID", "Location"),
    "StudyEventData": ("StudyEventOID", "StudyEventDef"),
    "FormData": ("FormOID", "FormDef"),
    "ItemGroupData": ("ItemGroupOID", "ItemGroupDef"),
    "ItemData": ("ItemOID", "ItemDef"),
}
_INTEGER = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def check_references(root: ET.Element) -> list[str]:
    """References the XSD cannot check: each OID resolves, each value fits its item."""
    errors = []
    defined = {tag: _oids(root, tag) for _attr, tag in REFERENCES.values()}
    for ref_tag, (attribute, def_tag) in REFERENCES.items():
        for element in root.iter(_q(ref_tag)):
            oid = element.get(attribute, "")
            if oid not in defined[def_tag]:
                errors.append(f"{ref_tag} {attribute}={oid!r}: no {def_tag} with this OID")
    item_defs = {e.get("OID", ""): e for e in root.iter(_q("ItemDef"))}
    code_lists = {
        e.get("OID", ""): {i.get("CodedValue") for i in e.iter(_q("CodeListItem"))}
        for e in root.iter(_q("CodeList"))
    }
    for element in root.iter(_q("ItemData")):
        item = item_defs.get(element.get("ItemOID", ""))
        if item is None:
            continue
        value = element.get("Value")
        if value is None:
            errors.append(f"ItemData {element.get('ItemOID')}: no Value")
            continue
        errors += _value_errors(element.get("ItemOID", ""), item, value, code_lists)
    return errors


def _value_errors(
    oid: str, item: ET.Element, value: str, code_lists: Mapping[str, set[str | None]]
) -> Iterator[str]:
    data_type = item.get("DataType", "")
    if data_type == "integer" and not _INTEGER.match(value):
        yield f"ItemData {oid}: {value!r} is not an integer"
    elif data_type == "float" and not _FLOAT.match(value):
        yield f"ItemData {oid}: {value!r} is not a decimal number"
    elif data_type == "boolean" and value not in ("0", "1", "true", "false"):
        yield f"ItemData {oid}: {value!r} is not a boolean"
    elif data_type == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            yield f"ItemData {oid}: {value!r} is not a date"
    code_ref = item.find(_q("CodeListRef"))
    if code_ref is not None:
        allowed = code_lists.get(code_ref.get("CodeListOID", ""), set())
        if value not in allowed:
            yield f"ItemData {oid}: {value!r} is not in its code list"


def validate_or_raise(document: bytes) -> None:
    errors = validate(document)
    if errors:
        raise OdmInvalidError(errors)


# --- Reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OdmForm:
    subject: str
    site: str
    visit: str
    instance: int
    form: str
    values: dict[str, Value]


@dataclass(frozen=True)
class OdmAudit:
    id: str
    user: str
    location: str
    timestamp: datetime.datetime
    reason: str
    source: str


@dataclass
class OdmContent:
    study_oid: str
    forms: list[OdmForm] = field(default_factory=list)
    audit_records: list[OdmAudit] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)  # OID → login
    locations: dict[str, str] = field(default_factory=dict)  # OID → name
    items: dict[str, tuple[str, str]] = field(default_factory=dict)  # OID → (name, DataType)

    def form(self, subject: str, visit: str, form: str, instance: int = 1) -> OdmForm:
        for found in self.forms:
            if (found.subject, found.visit, found.form, found.instance) == (
                subject,
                visit,
                form,
                instance,
            ):
                return found
        raise KeyError((subject, visit, form, instance))


def _after(prefix: str, oid: str) -> str:
    return oid[len(prefix) :] if oid.startswith(prefix) else oid


def _audit(element: ET.Element) -> OdmAudit:
    user = element.find(_q("UserRef"))
    location = element.find(_q("LocationRef"))
    return OdmAudit(
        id=element.get("ID", ""),
        user="" if user is None else user.get("UserOID", ""),
        location="" if location is None else location.get("LocationOID", ""),
        timestamp=datetime.datetime.fromisoformat(element.findtext(_q("DateTimeStamp"), "")),
        reason=element.findtext(_q("ReasonForChange"), ""),
        source=element.findtext(_q("SourceID"), ""),
    )


def read_odm(document: bytes) -> OdmContent:
    """The clinical values of an ODM file written by :func:`build_odm`, typed by its ItemDefs."""
    root = _parse(document)
    study = root.find(_q("Study"))
    content = OdmContent(study_oid="" if study is None else study.get("OID", ""))
    for item in root.iter(_q("ItemDef")):
        content.items[item.get("OID", "")] = (item.get("Name", ""), item.get("DataType", ""))
    for user in root.iter(_q("User")):
        content.users[user.get("OID", "")] = user.findtext(_q("LoginName"), "")
    for location in root.iter(_q("Location")):
        content.locations[location.get("OID", "")] = location.get("Name", "")
    for subject in root.iter(_q("SubjectData")):
        site_ref = subject.find(_q("SiteRef"))
        site = "" if site_ref is None else _after("LOC.", site_ref.get("LocationOID", ""))
        for event in subject.iter(_q("StudyEventData")):
            visit = _after("SE.", event.get("StudyEventOID", ""))
            instance = int(event.get("StudyEventRepeatKey", "1"))
            for form_data in event.iter(_q("FormData")):
                values: dict[str, Value] = {}
                for item_data in form_data.iter(_q("ItemData")):
                    name, data_type = content.items[item_data.get("ItemOID", "")]
                    values[name] = parse_value(data_type, item_data.get("Value", ""))
                content.forms.append(
                    OdmForm(
                        subject.get("SubjectKey", ""),
                        site,
                        visit,
                        instance,
                        _after("F.", form_data.get("FormOID", "")),
                        values,
                    )
                )
    for records in root.iter(_q("AuditRecords")):
        content.audit_records += [_audit(e) for e in records.iter(_q("AuditRecord"))]
    return content
