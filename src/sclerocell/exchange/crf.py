"""The eCRF as plain data: form declarations, recorded forms, the audit trail, users and sites.

The input of the analysis tables (:mod:`.tables`) and of the CDISC ODM writer (:mod:`.odm`). The
Django shell (``sclerocell.web.exports.extract``) builds these from the form definitions
(``web/followup/definitions.py``) and the database; tests build them by hand. Nothing here
imports Django.

A recorded form is keyed **subject × visit × instance**: the instance is 1 for a protocol visit
(at most one each) and numbers the unscheduled visits (``UNS``) of a subject in date order.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

#: One value of a form field, as the database holds it; ``None`` is a missing value.
Value = int | Decimal | bool | str | datetime.date | None


class ColumnType(StrEnum):
    """The type of a column; each maps to one Parquet type and one ODM DataType."""

    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    CODE = "code"  # a text code from a code list
    DATE = "date"
    TEXT = "text"


@dataclass(frozen=True)
class Code:
    """One entry of a code list: the stored value and its label in both languages."""

    value: str
    label_fr: str
    label_en: str


@dataclass(frozen=True)
class Column:
    """One data column of a form (a field of the eCRF)."""

    name: str
    type: ColumnType
    label_fr: str
    label_en: str
    unit: str = ""
    #: Hard limits: the database refuses a value outside them.
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    #: Plausible range: a value outside it raised a data query.
    plausible: tuple[Decimal, Decimal] | None = None
    #: DECIMAL: total digits and digits after the point (the database column's precision).
    digits: int = 0
    decimals: int = 0
    #: INTEGER or CODE columns restricted to a code list (INTEGER codes are written as digits).
    codes: tuple[Code, ...] = ()
    required: bool = False
    max_length: int = 0
    #: Free text about the column that its unit cannot say ("in the unit of <other column>").
    note: str = ""
    #: How a derived column is computed (empty for an entered one). Derived columns go to the
    #: analysis tables only; the ODM file carries what was entered.
    derived: str = ""


@dataclass(frozen=True)
class FormDef:
    """One outcome form: its code, titles, columns and the visits where it is expected."""

    code: str
    title_fr: str
    title_en: str
    columns: tuple[Column, ...]
    expected_at: frozenset[str] = frozenset()

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


@dataclass(frozen=True)
class VisitDef:
    """One visit of the schedule (a study event); ``repeating`` for unscheduled visits."""

    code: str
    name_fr: str
    name_en: str
    repeating: bool = False


@dataclass(frozen=True)
class Site:
    number: int
    name: str

    @property
    def code(self) -> str:
        return f"{self.number:02d}"


@dataclass(frozen=True)
class SubjectRecord:
    """A participant as the exports show them: identity-free (a code, a site, dates)."""

    code: str
    site: int
    kind: str  # recipient, donor
    sex: str
    birth_year: int
    birth_month: int
    screening_date: datetime.date
    inclusion_date: datetime.date | None = None
    infusion_date: datetime.date | None = None
    end_date: datetime.date | None = None
    end_cause: str = ""
    recipient: str = ""  # a donor's recipient


@dataclass(frozen=True)
class FormRecord:
    """One recorded form: its key, its life-cycle status and its values by column name."""

    form: str
    subject: str
    site: int
    visit: str
    instance: int
    visit_date: datetime.date
    status: str
    values: Mapping[str, Value]
    #: The database table and row of the form, to find its audit events.
    table: str = ""
    row: str = ""

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.subject, self.visit, self.instance)


@dataclass(frozen=True)
class User:
    """A person (or the system) named in the audit trail."""

    oid: str
    login: str
    role: str = ""
    full_name: str = ""
    sites: tuple[int, ...] = ()


@dataclass(frozen=True)
class AuditEntry:
    """One event of the audit trail about an exported row."""

    seq: int
    occurred_at: datetime.datetime  # aware, UTC
    table: str
    row: str
    operation: str  # insert, update, delete
    changed: tuple[str, ...]
    user_oid: str
    role: str
    reason: str
    action: str
    channel: str
    hash: str
    site: int
    #: The values this event wrote (``None``: a delete); the columns named by ``changed``.
    new_values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class StudyInfo:
    oid: str = "MSC-SSC"
    name: str = "MSC-SSc"
    description: str = (
        "Phase I-II trial of allogeneic bone-marrow mesenchymal stromal cells in severe "
        "refractory systemic sclerosis (NCT02213705)"
    )
    protocol_name: str = "MSC-SSc"
    metadata_version: str = "1"
    metadata_effective: datetime.date = datetime.date(2014, 2, 10)


@dataclass(frozen=True)
class Extract:
    """Everything one export reads, restricted to what the user may see and to the cut-off."""

    study: StudyInfo
    forms: tuple[FormDef, ...]
    visits: tuple[VisitDef, ...]
    records: tuple[FormRecord, ...]
    cutoff: datetime.date
    subjects: tuple[SubjectRecord, ...] = ()
    sites: tuple[Site, ...] = ()
    users: tuple[User, ...] = ()
    audit: tuple[AuditEntry, ...] = ()
    source_system_version: str = ""

    def form(self, code: str) -> FormDef:
        for form in self.forms:
            if form.code == code:
                return form
        raise KeyError(code)
