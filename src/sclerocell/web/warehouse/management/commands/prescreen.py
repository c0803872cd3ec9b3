"""``sclerocell prescreen --omop PATH --index-date DATE --out DIR [--engine duckdb|spark]
[--role recipient|donor] [--population ssc|all] [--concept-map FILE] [--unrecorded-findings
unknown|absent]``: pre-screen an OMOP warehouse (see :mod:`sclerocell.prescreen.run`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sclerocell.config import ConfigError
from sclerocell.prescreen.concept_map import ConceptMapError
from sclerocell.prescreen.concept_map import load as load_map
from sclerocell.prescreen.omop import SourceError
from sclerocell.prescreen.run import prescreen
from sclerocell.protocol.settings import DEFAULT, ProtocolSettings


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--index-date {text!r}: expected YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = "Pre-screen an OMOP CDM warehouse against the protocol's criteria."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--omop", required=True, help="folder, DuckDB file or postgresql:// URL"
        )
        parser.add_argument("--index-date", required=True, help="YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="folder for the results")
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
