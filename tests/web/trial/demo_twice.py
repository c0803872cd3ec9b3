"""Child process of test_demo_command: migrate, then `demo --reset-if-exists` twice in a row.

What `python3 dev.py demo` does each time it starts, on a file SQLite database in
SCLEROCELL_DATA_DIR (a fast password hasher keeps it quick).
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sclerocell.web.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402


def main() -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for _ in range(2):
        call_command("migrate", verbosity=0)
        call_command("demo", "--reset-if-exists")


if __name__ == "__main__":
    main()
