"""The export formats, by code: each writes its files into a folder from one scoped request.

=========  =====================================================================================
``tables``  analysis-ready tables, CSV and Parquet, with the data dictionary (``exchange.tables``)
``odm``     CDISC ODM 1.3.2 XML, validated against the official XSD before it leaves
``sdtm``    SDTM datasets (SAS transport) with define.xml (``exports.standards``)
``fhir``    HL7 FHIR R4 bundles (``exports.standards``)
=========  =====================================================================================

Every writer receives participants already restricted to what the requester may see.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sclerocell.exchange import crf, odm, tables
from sclerocell.web.trial.models import Participant

from . import extract

STANDARDS = "sclerocell.web.exports.standards"


class FormatUnavailableError(RuntimeError):
    """The format's writer is not installed in this deployment."""


class ExportFailedError(RuntimeError):
    """A writer refused the data or its own output (an invalid file is never issued)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass
class Request:
    """One export: whose participants, to which cut-off, when."""

    participants: QuerySet[Participant]
    cutoff: datetime.date
    created: datetime.datetime
    file_oid: str
    _extract: crf.Extract | None = field(default=None, repr=False)

    @property
    def extract(self) -> crf.Extract:
        """The database read once, shared by the tables and the ODM file."""
        if self._extract is None:
            self._extract = extract.read(self.participants, self.cutoff)
        return self._extract


Writer = Callable[[Path, Request], list[Path]]


@dataclass(frozen=True)
class ExportFormat:
    code: str
    label: Any
    description: Any
    write: Writer
    module: str = ""

    @property
    def available(self) -> bool:
        return not self.module or importlib.util.find_spec(self.module) is not None


def write_tables(out: Path, request: Request) -> list[Path]:
    return tables.write_tables(out, request.extract)


def write_odm(out: Path, request: Request) -> list[Path]:
    document = odm.build_odm(request.extract, created=request.created, file_oid=request.file_oid)
    errors = odm.validate(document)
    if errors:  # an invalid file never leaves
        raise ExportFailedError("odm", "; ".join(errors[:5]))
    out.mkdir(parents=True, exist_ok=True)
    path = out / "sclerocell-odm.xml"
    path.write_bytes(document)
    return [path]


def _standard(name: str) -> Writer:
    def write(out: Path, request: Request) -> list[Path]:
        try:
            # Imported when used: the standards writers live in their own module.
            module = importlib.import_module(STANDARDS)
        except ImportError as error:
            raise FormatUnavailableError(name) from error
        writer: Callable[..., list[Path]] = getattr(module, f"write_{name}")
        out.mkdir(parents=True, exist_ok=True)
        try:
            return writer(out, request.participants, cutoff=request.cutoff)
        except ValueError as error:  # the writers refuse invalid data or output with it
            raise ExportFailedError(name, str(error)) from error

    return write


FORMATS: dict[str, ExportFormat] = {
    f.code: f
    for f in (
        ExportFormat(
            "tables",
            _("Analysis tables (CSV and Parquet)"),
            _("One table per form, keyed subject × visit × instance, with the data dictionary."),
            write_tables,
        ),
        ExportFormat(
            "odm",
            _("CDISC ODM 1.3.2 (XML)"),
            _("Study metadata, clinical data and audit records, checked against the ODM schema."),
            write_odm,
        ),
        ExportFormat(
            "sdtm",
            _("CDISC SDTM (SAS transport) with define.xml"),
            _("DM, DS, EX, AE, VS, LB, QS, MH datasets."),
            _standard("sdtm"),
            STANDARDS,
        ),
        ExportFormat(
            "fhir",
            _("HL7 FHIR R4 (JSON bundles)"),
            _("Research study, subjects, pseudonymised patients, observations, adverse events."),
            _standard("fhir"),
            STANDARDS,
        ),
    )
}
ALL = "all"


def selected(code: str) -> list[ExportFormat]:
    """The formats of a choice (``all`` is every available one)."""
    if code == ALL:
        return [f for f in FORMATS.values() if f.available]
    return [FORMATS[code]]
