"""`sclerocell create-user USERNAME --role ROLE --site 1 [--site 2 | --sites 1,2]`.

The password is read from a prompt (asked twice) or, for scripts, from the first line of
standard input with `--password-stdin`; it must pass the password policy.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from sclerocell.web.accounts.actions import create_staff_user
from sclerocell.web.accounts.models import Site, User
from sclerocell.web.accounts.roles import Role


def site_numbers(value: str) -> list[int]:
    try:
        return [int(part) for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise ValueError(f"not a list of site numbers: {value!r}") from exc


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(str(m) for m in messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(str(message) for message in error.messages)


class Command(BaseCommand):
    help = "Create a staff account with a role and its sites."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--role", required=True, choices=[role.value for role in Role], help="the role"
        )
        parser.add_argument(
            "--site",
            "--sites",
            dest="sites",
            action="extend",
            type=site_numbers,
            default=[],
            metavar="N[,N…]",
            help="site number(s); repeat the option or separate with commas",
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    @no_translations  # the command speaks English, and so do the policy's messages here
    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"the user {username!r} already exists")
        sites = self._sites(options["sites"])
        password = self._password(options)
        try:
            user = create_staff_user(
                username=username,
                role=options["role"],
                sites=sites,
                password=password,
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as error:
            raise CommandError(_messages(error)) from error
        where = ", ".join(f"{site.number:02d}" for site in sites) or "no site"
        self.stdout.write(f"created {user.username} ({user.role}) at {where}")

    def _sites(self, numbers: list[int]) -> list[Site]:
        sites = list(Site.objects.filter(number__in=numbers))
        missing = sorted(set(numbers) - {site.number for site in sites})
        if missing:
            known = ", ".join(str(n) for n in Site.objects.values_list("number", flat=True))
            raise CommandError(
                f"no site numbered {', '.join(map(str, missing))} (sites: {known or 'none yet'})"
            )
        return sites

    def _password(self, options: dict[str, Any]) -> str:
        if options["password_stdin"]:
            stream = options.get("stdin") or sys.stdin
            password = stream.readline().rstrip("\r\n")
            if not password:
                raise CommandError("no password on standard input")
            return password
        if not sys.stdin.isatty() and options.get("stdin") is None:
            raise CommandError("no terminal to ask for the password: use --password-stdin")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("the two passwords differ")
        return password
