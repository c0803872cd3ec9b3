"""``sclerocell synth-omop --persons N --seed S --out DIR``: a synthetic OMOP warehouse (Parquet)
with its ground truth (see :mod:`sclerocell.prescreen.synth`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sclerocell.prescreen.synth import generate


class Command(BaseCommand):
    help = "Write a synthetic OMOP CDM warehouse with systemic sclerosis cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, required=True)
        parser.add_argument("--seed", type=int, required=True)
        parser.add_argument("--out", required=True)
        parser.add_argument("--ssc-share", type=float, default=0.05)
        parser.add_argument("--chunk-size", type=int, default=100_000)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["persons"] < 1:
            raise CommandError("--persons: at least 1")
        if not 0 < options["ssc_share"] <= 1:
            raise CommandError("--ssc-share: a share in ]0, 1]")
        summary = generate(
            Path(options["out"]),
            options["persons"],
            options["seed"],
            ssc_share=options["ssc_share"],
            chunk_size=max(1, options["chunk_size"]),
            progress=not options["no_progress"],
        )
        rows = ", ".join(f"{name} {n:,}" for name, n in summary.rows.items())
        self.stdout.write(
            f"{summary.persons:,} persons ({summary.cases:,} with SSc) in {summary.out}: {rows} "
            f"({summary.seconds:.1f} s)"
        )
