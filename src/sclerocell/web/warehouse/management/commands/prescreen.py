"""``sclerocell prescreen --omop PATH --index-date DATE --out DIR [--engine duckdb|spark]
[--role recipient|donor] [--population ssc|all] [--concept-map FILE] [--unrecorded-findings
unknown|absent]``: pre-screen an OMOP warehouse (see :mod:`sclerocell.prescreen.run`).

``sclerocell prescreen --explain PERSON_ID --out DIR [--json] [--lang fr|en]``: one person's
full explanation from a finished run's folder — the verdict tree as ``sclerocell screen``
prints it (the same rendering), or the same as JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any, Literal

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sclerocell.config import ConfigError
from sclerocell.prescreen.concept_map import ConceptMapError
from sclerocell.prescreen.concept_map import load as load_map
from sclerocell.prescreen.omop import SourceError
from sclerocell.prescreen.run import explain, prescreen
from sclerocell.protocol.screen_cli import render
from sclerocell.protocol.settings import DEFAULT, ProtocolSettings


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--index-date {text!r}: expected YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = "Pre-screen an OMOP CDM warehouse against the protocol's criteria."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--omop", help="folder, DuckDB file or postgresql:// URL")
        parser.add_argument("--index-date", help="YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="folder for the results")
        parser.add_argument(
            "--explain",
            metavar="PERSON_ID",
            help="print one person's full explanation from the finished run in --out",
        )
        parser.add_argument("--json", action="store_true", help="with --explain: as JSON")
        parser.add_argument(
            "--lang",
            choices=["fr", "en"],
            help="with --explain: the language (default: the environment's, LANG)",
        )
        parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
        parser.add_argument("--role", choices=["recipient", "donor"], default="recipient")
        parser.add_argument(
            "--population",
            choices=["ssc", "all"],
            help="ssc: persons with an SSc diagnosis (default for recipients); all (for donors)",
        )
        parser.add_argument("--concept-map", help="a site's concept_map.csv")
        parser.add_argument("--value-concepts", help="a site's value_concepts.csv")
        parser.add_argument(
            "--unrecorded-findings",
            choices=["unknown", "absent"],
            default=DEFAULT.unrecorded_findings,
            help="a finding never recorded: unknown (the protocol's default) or absent",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["explain"] is not None:
            self._explain(options)
            return
        missing = [f"--{n}" for n in ("omop", "index-date") if not options[n.replace("-", "_")]]
        if missing:
            raise CommandError(f"{' and '.join(missing)} required (or --explain PERSON_ID)")
        index_date = _date(options["index_date"])
        try:
            cmap = (
                load_map(options["concept_map"], options["value_concepts"])
                if options["concept_map"] or options["value_concepts"]
                else None
            )
            settings = ProtocolSettings(unrecorded_findings=options["unrecorded_findings"])
            result = prescreen(
                options["omop"],
                index_date,
                Path(options["out"]),
                engine=options["engine"],
                role=options["role"],
                population=options["population"],
                settings=settings,
                concept_map=cmap,
                progress=not options["no_progress"],
            )
        except (SourceError, ConceptMapError, ConfigError) as exc:
            raise CommandError(str(exc)) from exc
        v = result.verdicts
        self.stdout.write(
            f"{result.warehouse}: {result.persons} persons, {result.population} screened "
            f"({result.population_rule}) as of {index_date.isoformat()} on {result.engine}\n"
            f"eligible {v['met']} · to confirm {v['unknown'] + v['not_assessable']} · "
            f"not eligible {v['not_met']} · rows refused {result.rejects.num_rows}\n"
            f"results in {result.out_dir}"
        )
        for note in result.notes:
            self.stdout.write(f"note: {note}")

    def _explain(self, options: dict[str, Any]) -> None:
        folder = Path(options["out"])
        if not (folder / "run.json").is_file() or not (folder / "facts.parquet").is_file():
            raise CommandError(f"{folder}: not the folder of a finished pre-screen")
        person = str(options["explain"])
        if not _screened(folder, person):
            raise CommandError(f"person {person} was not screened in {folder}")
        screening = explain(folder, person)
        if options["json"]:
            self.stdout.write(json.dumps(screening.to_dict(), ensure_ascii=False, indent=2))
            return
        lang = options["lang"] or _environment_language()
        width = shutil.get_terminal_size((120, 40)).columns
        self.stdout.write(render(screening, lang, width), ending="")


def _screened(folder: Path, person: str) -> bool:
    import pyarrow.parquet as pq

    found = pq.read_table(
        folder / "statuses.parquet", columns=["subject_id"], filters=[("subject_id", "=", person)]
    )
    return bool(found.num_rows > 0)


def _environment_language() -> Literal["fr", "en"]:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"
