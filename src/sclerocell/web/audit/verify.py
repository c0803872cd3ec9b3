"""Check the audit trail's hash chain row by row, and name every row that breaks it.

- **altered** — a row whose stored hash does not match its content (a field was changed, or the
  row was forged with a made-up hash);
- **missing** — a gap in the sequence numbers (rows deleted);
- **broken link** — a row whose ``prev_hash`` is not the hash of the row before it (a row was
  inserted or replaced by someone who recomputed its hash, or rows were reordered);
- **anchor** — a (sequence, hash) pair recorded earlier, outside the database, is no longer in
  the chain (the tail was cut or rewritten: something no chain can show by itself).

The values are read as the database stores them (timestamps rendered by the database itself,
JSON as stored text) and hashed by ``chain.event_hash``, as the triggers did.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connections

from .chain import GENESIS, HASHED_FIELDS, event_hash

TIMESTAMP_SQL = {
    "postgresql": ("to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"),
    "sqlite": "CAST(occurred_at AS TEXT)",
}


@dataclass(frozen=True)
class Finding:
    kind: str  # "altered" | "missing" | "broken_link" | "anchor"
    seq: int
    last_seq: int | None = None  # for a run of missing rows
    previous_seq: int | None = None  # for a broken link


@dataclass
class Report:
    count: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def named_seqs(self) -> set[int]:
        named: set[int] = set()
        for finding in self.findings:
            named.update(range(finding.seq, (finding.last_seq or finding.seq) + 1))
        return named


def _rows(using: str) -> Iterator[tuple[Any, ...]]:
    connection = connections[using]
    columns = [
        TIMESTAMP_SQL[connection.vendor] if name == "occurred_at" else name
        for name in HASHED_FIELDS
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)}, prev_hash, hash FROM audit_event ORDER BY seq"  # noqa: S608 - fixed column names
        )
        while batch := cursor.fetchmany(2000):
            yield from batch


def verify(using: str = "default", anchors: Iterable[tuple[int, str]] = ()) -> Report:
    report = Report()
    seen: dict[int, str] = {}
    wanted = dict(anchors)
    previous_seq, previous_hash = 0, GENESIS
    for row in _rows(using):
        values, prev_hash, stored_hash = row[: len(HASHED_FIELDS)], row[-2], row[-1]
        seq = int(values[0])
        report.count += 1
        if seq != previous_seq + 1:
            report.findings.append(Finding("missing", previous_seq + 1, seq - 1))
        elif prev_hash != previous_hash:
            report.findings.append(Finding("broken_link", seq, previous_seq=previous_seq))
        if event_hash(str(prev_hash), values) != stored_hash:
            report.findings.append(Finding("altered", seq))
        if seq in wanted:
            seen[seq] = stored_hash
        previous_seq, previous_hash = seq, stored_hash
    for seq, expected in sorted(wanted.items()):
        if seen.get(seq) != expected:
            report.findings.append(Finding("anchor", seq))
    report.head_seq, report.head_hash = previous_seq, previous_hash
    return report
