"""``sclerocell verify-audit``: recompute the audit trail's hash chain and name every bad row.

Each finding is one line that starts with a stable token (``ALTERED seq=42``, ``MISSING
seq=7-9``, ``BROKEN-LINK seq=12``, ``ANCHOR seq=3``) followed by a translated explanation; the
last line gives the count and the head of the chain (``seq`` and ``hash``) — write it down in the
monitoring report: passed back with ``--anchor SEQ:HASH`` it proves the trail was not cut or
rewritten since. Exit status 0 when the chain is intact, 1 otherwise.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ...verify import Finding, verify


def _anchor(text: str) -> tuple[int, str]:
    seq, sep, digest = text.partition(":")
    if not sep or not seq.isdigit() or len(digest) != 64:
        raise CommandError(_("An anchor is written SEQ:HASH (a number, a colon, 64 hex digits)."))
    return int(seq), digest.lower()


def describe(finding: Finding) -> str:
    if finding.kind == "altered":
        return f"ALTERED seq={finding.seq}: " + _(
            "the row's content does not match its hash (altered or forged)"
        )
    if finding.kind == "missing":
        span = (
            str(finding.seq)
            if finding.last_seq == finding.seq
            else f"{finding.seq}-{finding.last_seq}"
        )
        return f"MISSING seq={span}: " + _("no such row in the chain (deleted)")
    if finding.kind == "broken_link":
        return f"BROKEN-LINK seq={finding.seq}: " + _(
            "its previous hash is not the hash of row %(previous)s "
            "(a row was inserted, replaced or reordered)"
        ) % {"previous": finding.previous_seq}
    return f"ANCHOR seq={finding.seq}: " + _(
        "the recorded anchor is no longer in the chain (the trail was cut or rewritten)"
    )


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; name every altered, missing or inserted row."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            type=_anchor,
            metavar="SEQ:HASH",
            help="a (sequence, hash) pair printed by an earlier run; it must still be there",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify(options["database"], options["anchor"])
        for finding in report.findings:
            self.stdout.write(describe(finding))
        summary = f"events={report.count} head_seq={report.head_seq} head_hash={report.head_hash}"
        if report.ok:
            self.stdout.write(f"OK {summary}")
            return
        self.stdout.write(f"FAILED problems={len(report.findings)} {summary}")
        raise CommandError(
            _("The audit trail's hash chain is broken: %(n)d problem(s).")
            % {"n": len(report.findings)},
            returncode=1,
        )
