"""``sclerocell export --format tables|odm|sdtm|fhir|all --out DIR [--cutoff DATE] [--site NN]
[--as USERNAME]``: export the trial's data (see ``docs/exports.md``).

Trial-wide unless ``--site``. Recorded in the audit trail as the system, or as ``--as`` a user
holding EXPORT_DATA, whose sites then bound the export as they would on the page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet
from django.utils import timezone

from sclerocell.web.accounts.models import User
from sclerocell.web.accounts.roles import Permission
from sclerocell.web.trial.access import participants_for
from sclerocell.web.trial.models import Participant

from ... import actions, formats


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--cutoff {text!r}: expected YYYY-MM-DD") from exc


def _user(username: str | None) -> User | None:
    if username is None:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--as {username!r}: no such user")
    if not user.can(Permission.EXPORT_DATA):
        raise CommandError(f"--as {username!r}: the role {user.role!r} may not export data")
    return user


def _scope(user: User | None, site: int | None) -> QuerySet[Participant]:
    participants: QuerySet[Participant] = (
        Participant.objects.all()
        if user is None
        else participants_for(user, Permission.EXPORT_DATA)
    )
    if site is None:
        return participants
    if user is not None and not user.sites.filter(number=site).exists():
        raise CommandError(f"--site {site:02d}: not one of the sites of {user.username!r}")
    return participants.filter(site__number=site)


class Command(BaseCommand):
    help = "Export the trial's data: analysis tables, CDISC ODM, SDTM, FHIR (audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=[*formats.FORMATS, formats.ALL])
        parser.add_argument("--out", required=True, help="folder for the files and the zip")
        parser.add_argument("--cutoff", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--site", type=int, help="one site's number (default: every site)")
        parser.add_argument(
            "--as",
            dest="as_user",
            help="username recorded in the audit trail (default: the system)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = _date(options["cutoff"]) if options["cutoff"] else timezone.localdate()
        user = _user(options["as_user"])
        site = options["site"]
        participants = _scope(user, site)
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        try:
            result = actions.export(
                participants,
                by=user,
                format_code=options["format"],
                cutoff=cutoff,
                out_dir=out,
                trial_wide=user is None and site is None,
            )
        except formats.FormatUnavailableError as exc:
            raise CommandError(f"format not available on this server: {exc}") from exc
        except formats.ExportFailedError as exc:
            raise CommandError(f"the export failed, nothing was issued: {exc}") from exc
        record = result.record
        self.stdout.write(
            f"{record.participants} participants · sites {record.sites or '—'} · cut-off "
            f"{cutoff.isoformat()} · {len(result.files)} files\n"
            f"{result.zip_path}\nsha256 {record.sha256}"
        )
