"""A small hand-built eCRF extract: two forms, two subjects, a scheduled and two unscheduled
visits, values of every type (missing ones included) and their audit events."""

from __future__ import annotations

import datetime
from decimal import Decimal

from sclerocell.exchange.crf import (
    AuditEntry,
    Code,
    Column,
    ColumnType,
    Extract,
    FormDef,
    FormRecord,
    Site,
    StudyInfo,
    SubjectRecord,
    User,
    VisitDef,
)

D = Decimal
UTC = datetime.UTC

VITALS = FormDef(
    "vitals",
    "Signes vitaux",
    "Vital signs",
    (
        Column(
            "systolic_bp",
            ColumnType.INTEGER,
            "pression systolique",
            "systolic blood pressure",
            unit="mmHg",
            minimum=D(50),
            maximum=D(280),
            plausible=(D(80), D(200)),
            required=True,
        ),
        Column(
            "weight",
            ColumnType.DECIMAL,
            "poids",
            "weight",
            unit="kg",
            minimum=D(20),
            maximum=D(250),
            digits=4,
            decimals=1,
        ),
        Column("sample_date", ColumnType.DATE, "date", "date"),
        Column("oedema", ColumnType.BOOLEAN, "œdème", "oedema"),
    ),
    expected_at=frozenset({"BL", "M3"}),
)
LABS = FormDef(
    "labs",
    "Biologie",
    "Laboratory tests",
    (
        Column(
            "crp_value",
            ColumnType.DECIMAL,
            "CRP",
            "CRP",
            minimum=D(0),
            maximum=D(1000),
            digits=7,
            decimals=3,
            note="in the unit of crp_unit",
        ),
        Column(
            "crp_unit",
            ColumnType.CODE,
            "unité",
            "unit",
            codes=(Code("mg/L", "mg/L", "mg/L"), Code("mg/dL", "mg/dL", "mg/dL")),
            max_length=16,
        ),
        Column(
            "crp_std",
            ColumnType.DECIMAL,
            "CRP (unité du protocole)",
            "CRP (protocol unit)",
            unit="mg/L",
            digits=15,
            decimals=3,
            derived="crp_value converted from crp_unit to mg/L",
        ),
        Column(
            "grade",
            ColumnType.INTEGER,
            "grade",
            "grade",
            codes=(Code("0", "normal", "normal"), Code("1", "léger", "mild")),
        ),
        Column("comment", ColumnType.TEXT, "commentaire", "comment", max_length=500),
    ),
)
VISITS = (
    VisitDef("BL", "Inclusion", "Baseline"),
    VisitDef("M3", "Mois 3", "Month 3"),
    VisitDef("UNS", "Non programmée", "Unscheduled", repeating=True),
)
AT = datetime.datetime(2015, 7, 1, 9, 30, tzinfo=UTC)


def entry(
    seq: int, table: str, row: str, operation: str, changed: tuple[str, ...], **kw: object
) -> AuditEntry:
    fields: dict[str, object] = {
        "occurred_at": AT + datetime.timedelta(minutes=seq),
        "user_oid": "USR.1",
        "role": "research_nurse",
        "reason": "",
        "action": "save_form",
        "channel": "action",
        "hash": f"{seq:064x}",
        "site": 1,
    }
    fields.update(kw)
    return AuditEntry(seq=seq, table=table, row=row, operation=operation, changed=changed, **fields)  # type: ignore[arg-type]


def extract() -> Extract:
    records = (
        FormRecord(
            "vitals",
            "01-R001-5",
            1,
            "BL",
            1,
            datetime.date(2015, 4, 10),
            "locked",
            {
                "systolic_bp": 120,
                "weight": D("61.5"),
                "sample_date": datetime.date(2015, 4, 10),
                "oedema": False,
            },
            "followup_vitals",
            "1",
        ),
        FormRecord(
            "vitals",
            "01-R001-5",
            1,
            "UNS",
            1,
            datetime.date(2015, 5, 2),
            "draft",
            {"systolic_bp": 135, "weight": None, "sample_date": None, "oedema": True},
            "followup_vitals",
            "2",
        ),
        FormRecord(
            "vitals",
            "01-R001-5",
            1,
            "UNS",
            2,
            datetime.date(2015, 6, 9),
            "complete",
            {"systolic_bp": 118, "weight": D("60.0"), "sample_date": None, "oedema": None},
            "followup_vitals",
            "3",
        ),
        FormRecord(
            "labs",
            "02-R001-3",
            2,
            "BL",
            1,
            datetime.date(2015, 4, 12),
            "draft",
            {
                "crp_value": D("12.500"),
                "crp_unit": "mg/L",
                "crp_std": D("12.500"),
                "grade": 1,
                "comment": "NA",
            },
            "followup_labs",
            "1",
        ),
        FormRecord(
            "labs",
            "02-R001-3",
            2,
            "M3",
            1,
            datetime.date(2015, 7, 12),
            "draft",
            {"crp_value": None, "crp_unit": "", "grade": None, "comment": "=1+1, said the lab"},
            "followup_labs",
            "2",
        ),
    )
    subjects = (
        SubjectRecord(
            "01-R001-5",
            1,
            "recipient",
            "F",
            1970,
            6,
            datetime.date(2015, 3, 2),
            infusion_date=datetime.date(2015, 4, 15),
        ),
        SubjectRecord(
            "01-D001-8", 1, "donor", "M", 1972, 2, datetime.date(2015, 3, 2), recipient="01-R001-5"
        ),
        SubjectRecord(
            "02-R001-3",
            2,
            "recipient",
            "M",
            1965,
            11,
            datetime.date(2015, 3, 9),
            end_cause="withdrawal",
            end_date=datetime.date(2015, 9, 1),
        ),
    )
    audit = (
        entry(
            10, "followup_vitals", "1", "insert", ("systolic_bp", "weight", "sample_date", "oedema")
        ),
        entry(
            11,
            "followup_vitals",
            "1",
            "update",
            ("weight",),
            reason="transcription error",
            user_oid="USR.2",
            role="investigator",
        ),
        entry(12, "followup_vitals", "1", "update", ("status",), user_oid="USR.3", role="monitor"),
        entry(13, "followup_vitals", "2", "insert", ("systolic_bp", "oedema")),
        entry(14, "followup_vitals", "3", "insert", ("systolic_bp", "weight")),
        entry(
            15,
            "followup_labs",
            "1",
            "insert",
            ("crp_value", "crp_unit", "grade", "comment"),
            site=2,
            user_oid="USR.system",
            role="",
        ),
        entry(
            16,
            "followup_labs",
            "2",
            "insert",
            ("comment",),
            site=2,
            user_oid="USR.4",
            role="investigator",
        ),
    )
    users = (
        User("USR.1", "nurse_a", "research_nurse", sites=(1,)),
        User("USR.2", "investigator_a", "investigator", "Dr A", sites=(1,)),
        User("USR.3", "monitor_a", "monitor", sites=(1,)),
        User("USR.4", "investigator_b", "investigator", sites=(2,)),
        User("USR.system", "system"),
    )
    return Extract(
        study=StudyInfo(),
        forms=(VITALS, LABS),
        visits=VISITS,
        records=records,
        cutoff=datetime.date(2015, 12, 31),
        subjects=subjects,
        sites=(Site(1, "Hôpital A"), Site(2, "Centre B")),
        users=users,
        audit=audit,
        source_system_version="test",
    )
