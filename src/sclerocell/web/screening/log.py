"""The screening log: everyone screened at the user's sites — recipients and donors — with the
signed decision, the reasons of each screen failure (the criteria not met), the live verdict, and
the first boxes of the CONSORT diagram. Its CSV export is recorded in the audit trail.

One evaluation per participant, on data fetched in a fixed number of queries
(``inputs.with_screening_data``): about 2 ms each, so the log stays live.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from sclerocell.criteria.logic import status_label
from sclerocell.criteria.status import Status
from sclerocell.facts.screening_input import InputError
from sclerocell.protocol.screen import screen_input
from sclerocell.web.accounts.models import User
from sclerocell.web.audit.context import audit_scope
from sclerocell.web.audit.models import AuditExport
from sclerocell.web.trial.models import Eligibility, Participant

from .catalogue import render
from .evaluation import reasons, reasons_from_dict
from .inputs import canonical_facts, digest, index_date_of, parsed_input, with_screening_data
from .models import EligibilitySignature


@dataclass
class LogRow:
    participant: Participant
    stage: str
    index_date: datetime.date
    verdict: str
    live_reasons: list[str]
    missing: int
    signature: EligibilitySignature | None
    signature_valid: bool | None
    signed_reasons: list[str] = field(default_factory=list)

    @property
    def decision(self) -> str:
        return self.participant.eligibility

    @property
    def verdict_label(self) -> str:
        return render(status_label(Status(self.verdict))) if self.verdict else "?"

    @property
    def reasons(self) -> list[str]:
        """The reasons of a screen failure: signed ones first, else the live verdict's."""
        if self.decision == Eligibility.NOT_ELIGIBLE and self.signed_reasons:
            return self.signed_reasons
        return self.live_reasons


def rows(participants: QuerySet[Any]) -> list[LogRow]:
    signatures = EligibilitySignature.objects.select_related("signed_by").order_by(
        "signed_at", "pk"
    )
    queryset = with_screening_data(participants).prefetch_related(
        Prefetch("eligibility_signatures", queryset=signatures)
    )
    found = []
    for p in queryset.order_by("site__number", "-kind", "sequence"):
        found.append(_row(p))
    return found


def _row(p: Any) -> LogRow:
    day = index_date_of(p)
    signature = list(p.eligibility_signatures.all())[-1:] or [None]
    latest = signature[0]
    try:
        data = parsed_input(p, day)
    except InputError:
        return LogRow(p, p.stage, day, "", [], 0, latest, None if latest is None else False)
    screening = screen_input(data, day)
    verdict = screening.verdict
    valid: bool | None = None
    signed_reasons: list[str] = []
    if latest is not None:
        facts = data.facts if latest.index_date == day else parsed_input(p, latest.index_date).facts
        valid = (
            latest.invalidated_at is None and digest(canonical_facts(facts)) == latest.facts_sha256
        )
        signed_reasons = reasons_from_dict(latest.result["result"])
    return LogRow(
        participant=p,
        stage=p.stage,
        index_date=day,
        verdict=verdict.value,
        live_reasons=reasons(screening.result) if verdict is Status.NOT_MET else [],
        missing=len(screening.result.missing()),
        signature=latest,
        signature_valid=valid,
        signed_reasons=signed_reasons,
    )


@dataclass
class Boxes:
    kind: str
    screened: int = 0
    eligible: int = 0
    not_eligible: int = 0
    not_eligible_reasons: list[tuple[str, int]] = field(default_factory=list)
    undecided: int = 0
    undecided_ended: int = 0


def consort(found: list[LogRow]) -> list[Boxes]:
    """The first boxes of the CONSORT diagram, recipients then donors."""
    boxes = []
    for kind in ("recipient", "donor"):
        mine = [r for r in found if r.participant.kind == kind]
        counted: Counter[str] = Counter()
        for r in mine:
            if r.decision == Eligibility.NOT_ELIGIBLE:
                counted.update(set(r.reasons) or {"?"})
        undecided = [r for r in mine if not r.decision]
        boxes.append(
            Boxes(
                kind=kind,
                screened=len(mine),
                eligible=sum(r.decision == Eligibility.ELIGIBLE for r in mine),
                not_eligible=sum(r.decision == Eligibility.NOT_ELIGIBLE for r in mine),
                not_eligible_reasons=sorted(counted.items(), key=lambda kv: (-kv[1], kv[0])),
                undecided=len(undecided),
                undecided_ended=sum(r.participant.end_date is not None for r in undecided),
            )
        )
    return boxes


COLUMNS = [
    "site",
    "code",
    "kind",
    "screening_date",
    "index_date",
    "stage",
    "decision",
    "decision_date",
    "signed_by",
    "signature_valid",
    "reasons",
    "verdict_now",
    "undetermined_criteria",
]


def to_csv(found: list[LogRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in found:
        p = r.participant
        writer.writerow(
            [
                f"{p.site.number:02d}",
                p.code,
                p.kind,
                p.screening_date.isoformat(),
                r.index_date.isoformat(),
                r.stage,
                p.eligibility,
                p.eligibility_date.isoformat() if p.eligibility_date else "",
                r.signature.signed_by.get_username() if r.signature else "",
                "" if r.signature_valid is None else ("yes" if r.signature_valid else "no"),
                " ".join(r.reasons),
                r.verdict,
                r.missing,
            ]
        )
    return out.getvalue()


def record_export(by: User, content: str, row_count: int) -> AuditExport:
    """The export in the audit trail: who took a copy of the screening log, when, its hash."""
    with audit_scope(by=by, action="export_screening_log"):
        return AuditExport.objects.create(
            participant_pk=None,
            format="csv",
            row_count=row_count,
            last_seq=None,
            sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        )
