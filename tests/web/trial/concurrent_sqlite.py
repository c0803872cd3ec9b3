"""Child process of test_concurrent_enrolment: the race on a file SQLite database.

Run with SCLEROCELL_DATA_DIR pointing at an empty temporary directory.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sclerocell.web.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from tests.web.trial import test_concurrent_enrolment as race  # noqa: E402


def main() -> None:
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    site, users = race.make_site_and_users()
    failures = race.register_concurrently(site, users)
    if failures:
        raise SystemExit(f"failures: {failures!r}")
    race.assert_codes_distinct_and_consecutive()
    print("ok")


if __name__ == "__main__":
    main()
