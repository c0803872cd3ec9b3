"""`sclerocell issue-token USERNAME [--name NAME] [--expires-days N] [--read-write]`.

Prints the new API token once; only its digest is stored, so it cannot be shown again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sclerocell.web.accounts.actions import issue_token
from sclerocell.web.accounts.models import User


class Command(BaseCommand):
    help = "Issue an HTTP API token for a user and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="what the token is for")
        parser.add_argument(
            "--expires-days", type=int, default=None, help="days of validity (default: none)"
        )
        parser.add_argument(
            "--read-write",
            action="store_true",
            help="allow methods that change data (default: read-only)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        if not user.is_active:
            raise CommandError(f"the user {user.username!r} is inactive")
        days = options["expires_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-days must be 1 or more")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        token, raw = issue_token(
            user, name=options["name"], expires_at=expires_at, read_only=not options["read_write"]
        )
        kind = "read-only" if token.read_only else "read-write"
        until = f"until {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else "no expiry"
        self.stderr.write(f"{kind} token {token.prefix} for {user.username}, {until}:")
        self.stdout.write(raw)
