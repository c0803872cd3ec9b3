"""Read the database into the plain input of the exchange core (``sclerocell.exchange.crf``).

- The form declarations come from ``followup.definitions.FORMS`` — the same ones that build the
  tables, the entry forms and the checks — turned into plain column specs with labels in both
  languages.
- The rows are those of the participants passed in, which the caller has already scoped with
  the access functions (``trial.access.participants_for``): this module never widens a scope.
- The lab form gets, after each analyte's fields, its value converted to the protocol's unit
  (``<analyte>_std``): a derived column, for the analysis tables only.
- The cut-off keeps the visits dated on or before it (and blanks a participant's later dates);
  values are those in the database at the time of the export, each with its audit history.

Reading only: nothing here writes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import override

from sclerocell.clinical import units
from sclerocell.exchange import crf
from sclerocell.followup.schedule import DEFAULT_SCHEDULE
from sclerocell.protocol.settings import PROTOCOL_VERSION
from sclerocell.web.accounts.models import Site, User
from sclerocell.web.audit.models import AuditEvent
from sclerocell.web.followup.definitions import (
    BASELINE,
    FORMS,
    UNSCHEDULED,
    FieldSpec,
    FormSpec,
    Kind,
    LabSpec,
)
from sclerocell.web.followup.models import FORM_MODELS, Visit
from sclerocell.web.followup.visits import VISIT_NAMES
from sclerocell.web.trial.models import Participant

KINDS = {
    Kind.INTEGER: crf.ColumnType.INTEGER,
    Kind.DECIMAL: crf.ColumnType.DECIMAL,
    Kind.BOOLEAN: crf.ColumnType.BOOLEAN,
    Kind.CHOICE: crf.ColumnType.CODE,
    Kind.DATE: crf.ColumnType.DATE,
    Kind.TEXT: crf.ColumnType.TEXT,
}
SYSTEM_OID = "USR.system"
STANDARD_DIGITS = 15
STANDARD_DECIMALS = 3


def _in(language: str, label: Any) -> str:
    with override(language):
        return str(label) if label else ""


def column(spec: FieldSpec) -> crf.Column:
    """The plain column of one field of a form."""
    unit = _in("en", spec.unit)
    note = ""
    if spec.part in ("value", "low", "high"):
        unit, note = "", f"in the unit of {spec.analyte}_unit (the lab report's)"
    codes: tuple[crf.Code, ...] = ()
    if spec.kind is not Kind.BOOLEAN:
        codes = tuple(
            crf.Code(str(code), _in("fr", label), _in("en", label)) for code, label in spec.choices
        )
    return crf.Column(
        name=spec.name,
        type=KINDS[spec.kind],
        label_fr=_in("fr", spec.label),
        label_en=_in("en", spec.label),
        unit=unit,
        minimum=spec.minimum,
        maximum=spec.maximum,
        plausible=spec.plausible,
        digits=spec.digits if spec.kind is Kind.DECIMAL else 0,
        decimals=spec.decimals if spec.kind is Kind.DECIMAL else 0,
        codes=codes,
        required=spec.required,
        max_length=spec.max_length,
        note=note,
    )


def standard_column(lab: LabSpec) -> crf.Column:
    """A lab value converted to the protocol's unit: derived, for the analysis tables."""
    unit = lab.canonical_unit
    return crf.Column(
        name=f"{lab.analyte}_std",
        type=crf.ColumnType.DECIMAL,
        label_fr=f"{_in('fr', lab.label)} (unité du protocole)",
        label_en=f"{_in('en', lab.label)} (protocol unit)",
        unit=unit,
        digits=STANDARD_DIGITS,
        decimals=STANDARD_DECIMALS,
        derived=f"{lab.value} converted from {lab.unit} to {unit}, rounded to "
        f"{STANDARD_DECIMALS} decimals (sclerocell.clinical.units)",
    )


def form_def(spec: FormSpec) -> crf.FormDef:
    columns = []
    for field in spec.fields:
        columns.append(column(field))
        if field.part == "high":  # after the four fields of an analyte, its standard value
            columns.append(
                standard_column(next(lab for lab in spec.labs if lab.analyte == field.analyte))
            )
    return crf.FormDef(
        code=spec.code,
        title_fr=_in("fr", spec.title),
        title_en=_in("en", spec.title),
        columns=tuple(columns),
        expected_at=spec.expected_at,
    )


def form_defs() -> tuple[crf.FormDef, ...]:
    return tuple(form_def(spec) for spec in FORMS.values())


def visit_defs() -> tuple[crf.VisitDef, ...]:
    codes = (BASELINE, *(v.code for v in DEFAULT_SCHEDULE.visits), UNSCHEDULED)
    return tuple(
        crf.VisitDef(
            code,
            _in("fr", VISIT_NAMES[code]),
            _in("en", VISIT_NAMES[code]),
            repeating=code == UNSCHEDULED,
        )
        for code in codes
    )


def software_version() -> str:
    try:
        return version("sclerocell")
    except PackageNotFoundError:
        return "unknown"


def study_info() -> crf.StudyInfo:
    return crf.StudyInfo(metadata_version=PROTOCOL_VERSION)


# --- Rows --------------------------------------------------------------------------------------


def _until(day: datetime.date | None, cutoff: datetime.date) -> datetime.date | None:
    return day if day is not None and day <= cutoff else None


def subjects(
    participants: QuerySet[Participant], cutoff: datetime.date
) -> tuple[crf.SubjectRecord, ...]:
    rows = participants.filter(screening_date__lte=cutoff).select_related("site", "recipient")
    records = []
    for p in rows.order_by("code"):
        ended = _until(p.end_date, cutoff)
        records.append(
            crf.SubjectRecord(
                code=p.code,
                site=p.site.number,
                kind=p.kind,
                sex=p.sex,
                birth_year=p.birth_year,
                birth_month=p.birth_month,
                screening_date=p.screening_date,
                inclusion_date=_until(p.inclusion_date, cutoff),
                infusion_date=_until(p.infusion_date, cutoff),
                end_date=ended,
                end_cause=p.end_cause if ended else "",
                recipient=p.recipient.code if p.recipient is not None else "",
            )
        )
    return tuple(records)


def standard_values(spec: FormSpec, values: dict[str, Any]) -> dict[str, Decimal | None]:
    """Each lab value in the protocol's unit (missing when the value or its unit is)."""
    derived: dict[str, Decimal | None] = {}
    for lab in spec.labs:
        value, unit = values.get(lab.value), values.get(lab.unit)
        standard = None
        if value is not None and unit:
            try:
                converted = units.to_canonical(float(value), unit, lab.analyte)
            except units.UnitError:
                converted = None  # the database refuses such a unit; kept missing if one slips
            if converted is not None:
                standard = Decimal(f"{converted:.{STANDARD_DECIMALS}f}")
        derived[f"{lab.analyte}_std"] = standard
    return derived


def _instances(participants: QuerySet[Participant]) -> dict[int, int]:
    """Visit id → instance: 1 for a protocol visit; unscheduled visits numbered in date order."""
    numbers: dict[int, int] = {}
    counters: dict[int, int] = defaultdict(int)
    unscheduled = Visit.objects.filter(participant__in=participants, code=UNSCHEDULED)
    for visit_id, participant_id in unscheduled.order_by(
        "participant", "visit_date", "pk"
    ).values_list("pk", "participant_id"):
        counters[participant_id] += 1
        numbers[visit_id] = counters[participant_id]
    return numbers


def form_records(
    participants: QuerySet[Participant], cutoff: datetime.date
) -> tuple[crf.FormRecord, ...]:
    instances = _instances(participants)
    records = []
    for code, model in FORM_MODELS.items():
        rows = model.objects.filter(
            visit__participant__in=participants, visit__visit_date__lte=cutoff
        ).select_related("visit__participant__site")
        for row in rows.order_by("pk"):
            visit: Visit = row.visit
            records.append(
                crf.FormRecord(
                    form=code,
                    subject=visit.participant.code,
                    site=visit.participant.site.number,
                    visit=visit.code,
                    instance=instances.get(visit.pk, 1),
                    visit_date=visit.visit_date,
                    status=row.status,
                    values={**row.values(), **standard_values(FORMS[code], row.values())},
                    table=model._meta.db_table,
                    row=str(row.pk),
                )
            )
    return tuple(records)


def _user_oid(event: AuditEvent) -> str:
    if event.actor_id is not None:
        return f"USR.{event.actor_id}"
    if event.channel == "direct_sql" and event.actor_username:
        return f"USR.db.{event.actor_username}"
    return SYSTEM_OID


def audit_entries(records: tuple[crf.FormRecord, ...]) -> tuple[crf.AuditEntry, ...]:
    """Every audit event of the exported form rows, in sequence order."""
    sites: dict[tuple[str, str], int] = {(r.table, r.row): r.site for r in records}
    by_table: dict[str, list[str]] = defaultdict(list)
    for table, row in sites:
        by_table[table].append(row)
    entries = []
    for table, rows in by_table.items():
        events = AuditEvent.objects.filter(table_name=table, row_pk__in=rows)
        for event in events.order_by("seq"):
            entries.append(
                crf.AuditEntry(
                    seq=event.seq,
                    occurred_at=event.occurred_at.astimezone(datetime.UTC),
                    table=event.table_name,
                    row=event.row_pk,
                    operation=event.operation,
                    changed=tuple(event.changed),
                    user_oid=_user_oid(event),
                    role=event.actor_role,
                    reason=event.reason,
                    action=event.action,
                    channel=event.channel,
                    hash=event.hash,
                    site=sites[(event.table_name, event.row_pk)],
                )
            )
    return tuple(sorted(entries, key=lambda e: e.seq))


def users(entries: tuple[crf.AuditEntry, ...]) -> tuple[crf.User, ...]:
    """The people named by the audit entries (login, role, sites), and the system."""
    ids = {int(e.user_oid[4:]) for e in entries if e.user_oid[4:].isdigit()}
    found = []
    for user in User.objects.filter(pk__in=ids).prefetch_related("sites").order_by("pk"):
        found.append(
            crf.User(
                oid=f"USR.{user.pk}",
                login=user.get_username(),
                role=user.role,
                full_name=user.get_full_name(),
                sites=tuple(site.number for site in user.sites.all()),
            )
        )
    found.append(crf.User(SYSTEM_OID, "system", "", "sclerocell"))
    return tuple(found)


def sites(participants: QuerySet[Participant]) -> tuple[crf.Site, ...]:
    rows = Site.objects.filter(participants__in=participants).distinct().order_by("number")
    return tuple(crf.Site(site.number, site.name) for site in rows)


def read(participants: QuerySet[Participant], cutoff: datetime.date) -> crf.Extract:
    """Everything the tables and the ODM file need about ``participants``, up to ``cutoff``."""
    # A plain queryset of the same rows (the caller's may carry annotations).
    participants = Participant.objects.filter(pk__in=participants.values("pk"))
    records = form_records(participants, cutoff)
    entries = audit_entries(records)
    return crf.Extract(
        study=study_info(),
        forms=form_defs(),
        visits=visit_defs(),
        records=records,
        cutoff=cutoff,
        subjects=subjects(participants, cutoff),
        sites=sites(participants),
        users=users(entries),
        audit=entries,
        source_system_version=software_version(),
    )
