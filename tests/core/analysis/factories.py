"""Small builders for hand-made analysis datasets (the tests spell out only what they test)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sclerocell.analysis.dataset import (
    AdverseEvent,
    AnalysisDataset,
    EndCause,
    Relatedness,
    Subject,
    VisitMeasurement,
)

INFUSION = date(2020, 1, 15)
CUTOFF = date(2023, 1, 1)


def subject(code: str, level: int = 1, *, infused: bool = True, **changes: Any) -> Subject:
    values: dict[str, Any] = {
        "code": code,
        "site": "Paris Saint-Louis",
        "dose_level": level,
        "inclusion_date": INFUSION - timedelta(days=30),
        "infusion_date": INFUSION if infused else None,
    }
    values.update(changes)
    return Subject(**values)


def completed(code: str, level: int = 1, **changes: Any) -> Subject:
    """Infused on INFUSION, completed the follow-up at 24 months."""
    return subject(code, level, end_date=date(2022, 1, 15), end_cause=EndCause.COMPLETED, **changes)


def died(code: str, on: date, level: int = 1, **changes: Any) -> Subject:
    return subject(code, level, end_date=on, end_cause=EndCause.DEATH, death_date=on, **changes)


def ae(
    code: str,
    day: int,
    grade: int,
    *,
    term: str = "Fever",
    soc: str = "General disorders and administration site conditions",
    msc: Relatedness = Relatedness.NOT_RELATED,
    procedure: Relatedness = Relatedness.NOT_RELATED,
    serious: bool = False,
    **changes: Any,
) -> AdverseEvent:
    """An AE with onset ``day`` days after INFUSION (D0)."""
    return AdverseEvent(
        subject_code=code,
        term=term,
        soc=soc,
        grade=grade,
        onset_date=INFUSION + timedelta(days=day),
        relation_msc=msc,
        relation_procedure=procedure,
        serious=serious,
        **changes,
    )


def visit(code: str, visit_code: str, day: int = 0, **values: Any) -> VisitMeasurement:
    return VisitMeasurement(code, visit_code, INFUSION + timedelta(days=day), **values)


def dataset(subjects: list[Subject], **records: Any) -> AnalysisDataset:
    return AnalysisDataset(
        cutoff_date=records.pop("cutoff_date", CUTOFF), subjects=tuple(subjects), **records
    )
