"""``flush`` that knows the audit trail is append-only.

Django's ``flush`` empties every table — the audit trail included, which its guard refuses, and
on SQLite it deletes trial rows one by one, which the audit triggers refuse without a reason. The
test runner flushes after every transactional test. This command removes the audit triggers,
flushes, and installs them again. Emptying the database empties its audit trail: that is what
flush means; it never runs on a trial's database outside development and tests.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from ... import triggers


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        database = options["database"]
        triggers.uninstall(database)
        try:
            super().handle(**options)
        finally:
            triggers.install(database)
