"""``sclerocell screen recipient|donor FILE.json``: screen one person from a JSON file and print
the verdict tree (ids, status, evidence, reading, what is missing), or the same as JSON.

Plain Python: no database, no Django. ``run`` returns the exit code: 0 screened, 1 invalid input
(every error printed at its field), 2 bad command line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import textwrap
from dataclasses import fields
from typing import Any, TextIO, get_type_hints

from sclerocell.criteria.logic import status_label
from sclerocell.criteria.text import Lang
from sclerocell.facts.screening_input import InputError, load
from sclerocell.protocol.screen import Screening, screen_input
from sclerocell.protocol.settings import DEFAULT, ProtocolSettings, SettingsError

_HEAD = {
    "fr": ("CRITÈRE", "STATUT", "ÉLÉMENTS"),
    "en": ("CRITERION", "STATUS", "EVIDENCE"),
}
_WORDS = {
    "fr": {
        "reading": "lecture :",
        "missing": "manque :",
        "verdict": "Verdict :",
        "index": "date index",
        "todo": "Ce qui déciderait les critères indéterminés :",
    },
    "en": {
        "reading": "reading:",
        "missing": "missing:",
        "verdict": "Verdict:",
        "index": "index date",
        "todo": "What would decide the undetermined criteria:",
    },
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sclerocell screen", description=__doc__)
    parser.add_argument("role", choices=("recipient", "donor"))
    parser.add_argument("file", help="the screening input (docs/screening-input.md)")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.add_argument(
        "--index-date",
        type=dt.date.fromisoformat,
        help="YYYY-MM-DD (default: the file's, else today)",
    )
    parser.add_argument("--lang", choices=("fr", "en"), default="en")
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a protocol setting (repeatable)",
    )
    parser.add_argument("--width", type=int, default=0, help="line width (default: the terminal's)")
    return parser


def settings_from(pairs: list[str]) -> ProtocolSettings:
    """Protocol settings from ``NAME=VALUE`` overrides of the defaults."""
    if not pairs:
        return DEFAULT
    hints = get_type_hints(ProtocolSettings)
    names = {f.name for f in fields(ProtocolSettings)}
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or name not in names:
            raise SettingsError(
                f"{pair!r}: expected NAME=VALUE with NAME one of {', '.join(sorted(names))}"
            )
        if hints[name] is int:
            try:
                values[name] = int(raw)
            except ValueError as exc:
                raise SettingsError(f"{name}={raw!r}: expected an integer") from exc
        elif name == "donor_priority":
            values[name] = tuple(p.strip() for p in raw.split(",") if p.strip())
        else:
            values[name] = raw
    return ProtocolSettings.from_mapping(values)


def render(screening: Screening, lang: Lang, width: int = 120) -> str:
    """The verdict tree as a text table."""
    words = _WORDS[lang]
    rows = list(screening.result.walk())
    id_width = min(max(len(r.id) + 2 * d for d, r in rows) + 2, 50)
    status_width = max(len(s) for s in ("not_assessable", _HEAD[lang][1])) + 2
    text_width = max(width - id_width - status_width, 30)
    pad = " " * (id_width + status_width)
    verdict = screening.result.evidence.summary.render(lang)
    out = [
        f"{screening.settings.version} — {screening.role} {screening.subject_id} — "
        f"{words['index']} {screening.index_date.isoformat()}",
        f"{words['verdict']} {screening.verdict.value} — {verdict}",
        "",
        _HEAD[lang][0].ljust(id_width) + _HEAD[lang][1].ljust(status_width) + _HEAD[lang][2],
    ]
    for depth, r in rows:
        label = ("  " * depth + r.id)[: id_width - 1].ljust(id_width)
        lines: list[str] = []
        if "." not in r.id or depth == 0:
            lines += textwrap.wrap(f"« {r.text.render(lang)} »", text_width) or [""]
        lines += textwrap.wrap(r.evidence.summary.render(lang), text_width) or [""]
        ev = r.evidence
        if ev.reading is not None:
            lines += textwrap.wrap(f"{words['reading']} {ev.reading.render(lang)}", text_width)
        if ev.missing is not None and not r.status.determined:
            lines += textwrap.wrap(f"{words['missing']} {ev.missing.render(lang)}", text_width)
        out.append(label + r.status.value.ljust(status_width) + lines[0])
        out += [pad + line for line in lines[1:]]
    missing = screening.result.missing()
    if missing:
        out += ["", words["todo"]]
        for criterion, status, text in missing:
            head = f"  {criterion} ({status_label(status).render(lang)}): "
            out += textwrap.wrap(
                text.render(lang), width, initial_indent=head, subsequent_indent=" " * len(head)
            )
    return "\n".join(out) + "\n"


def run(argv: list[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        settings = settings_from(args.setting)
    except SettingsError as exc:
        err.write(f"sclerocell screen: {exc}\n")
        return 2
    lang: Lang = "fr" if args.lang == "fr" else "en"
    try:
        data = load(args.file, role=args.role)
    except FileNotFoundError:
        err.write(f"sclerocell screen: {args.file}: no such file\n")
        return 2
    except InputError as exc:
        err.write(f"{args.file}: invalid screening input\n")
        for e in exc.errors:
            err.write(f"  {e.path}: {e.message.render(lang)}\n")
        return 1
    screening = screen_input(data, args.index_date, settings)
    width = args.width or shutil.get_terminal_size((120, 40)).columns
    text = (
        json.dumps(screening.to_dict(), ensure_ascii=False, indent=2) + "\n"
        if args.json
        else render(screening, lang, width)
    )
    try:
        out.write(text)
        out.flush()
    except BrokenPipeError:  # the reader (head, less) stopped reading: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(sys.argv[1:]))
