"""The `sclerocell` command line.

Every sub-command is a Django management command of the project (dashes become underscores), so
the same code serves the CLI, the tests (`call_command`) and administrators used to Django:

    sclerocell serve            serve the application on http://127.0.0.1:8000
    sclerocell demo             load the synthetic demo trial and print the demo logins
    sclerocell migrate          create or upgrade the database
    sclerocell create-user      create a staff account with a role and sites
    sclerocell verify-audit     check the hash chain of the audit trail
    sclerocell compile-messages compile the French and English translations
    sclerocell report --out DIR [--cutoff YYYY-MM-DD] [--lang fr|en|both] [--format html|pdf|both]
                                the analysis report of every endpoint (HTML and PDF)
    sclerocell export --format tables|odm|sdtm|fhir|all --out DIR [--cutoff YYYY-MM-DD]
                      [--site NN] [--as USERNAME]
                                the trial's data for sponsors and statisticians (audited)
    sclerocell screen recipient FILE.json [--json] [--index-date YYYY-MM-DD]
    sclerocell screen donor FILE.json     screen one person against the protocol (no database)
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sclerocell.web.settings")
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        if not args:
            sys.exit(2)
        return
    if args[0] == "screen":
        # The eligibility core is plain Python: screening a file needs no database.
        from sclerocell.protocol.screen_cli import run

        sys.exit(run(args[1:]))
    command = args[0].replace("-", "_")

    from django.core.management import execute_from_command_line

    execute_from_command_line(["sclerocell", command, *args[1:]])


if __name__ == "__main__":
    main()
