"""The concept map: which OMOP rows produce which fact, and how.

One CSV row per (fact code, OMOP table, concept): a site edits the file and points the pre-screen
at its copy (``--concept-map``). Columns:

- ``fact_code``: a code of :mod:`sclerocell.facts.codes`, or ``@population`` for the diagnosis
  concept set that defines who is screened;
- ``omop_table`` and ``field``: ``concept`` (the standard ``*_concept_id``), ``source_concept``
  (``*_source_concept_id``, e.g. CIM-10), ``gender`` / ``birth`` on ``person``;
- ``concept_id``, or ``vocabulary`` + ``concept_code`` to resolve it through the warehouse's
  ``concept`` table; ``descendants`` (yes/no) adds every descendant through ``concept_ancestor``
  when the warehouse holds that table;
- ``how``: ``number`` (value_as_number in its unit), ``present`` (the row says present),
  ``answer`` (a yes/no answer: 1/0, an answer concept, or a yes/no word), ``course`` (a drug
  course, dated on its end), ``text`` (value_as_string), ``sex``, ``birth``;
- ``value`` (for ``sex``: ``F``/``M``), ``unit`` (the unit assumed when a row carries none);
- ``label``, ``status`` (verified, probable, unverified, site_local, inferred, standard) and
  ``source`` — the provenance of the identifier (see ``data/concept_map.md``).

``data/value_concepts.csv`` lists the unit concepts (unit_concept_id → unit spelling) and the
answer concepts (value_as_concept_id → 1/0), with the same status and source columns.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from sclerocell.facts import codes

POPULATION = "@population"
SITE_LOCAL_MIN = 2_000_000_000

Table = Literal[
    "person",
    "condition_occurrence",
    "drug_exposure",
    "measurement",
    "observation",
    "procedure_occurrence",
]
How = Literal["number", "present", "answer", "course", "text", "sex", "birth"]
STATUSES = ("verified", "probable", "unverified", "site_local", "inferred", "standard")

# Which ways of reading a row each table allows, and which concept fields it has.
HOWS: dict[str, tuple[str, ...]] = {
    "person": ("sex", "birth"),
    "condition_occurrence": ("present",),
    "procedure_occurrence": ("present",),
    "drug_exposure": ("present", "course"),
    "measurement": ("number", "answer", "present"),
    "observation": ("number", "answer", "present", "text"),
}
FIELDS: dict[str, tuple[str, ...]] = {
    "person": ("gender", "birth"),
    "condition_occurrence": ("concept", "source_concept"),
    "procedure_occurrence": ("concept", "source_concept"),
    "drug_exposure": ("concept", "source_concept"),
    "measurement": ("concept", "source_concept"),
    "observation": ("concept", "source_concept"),
}
HEADER = (
    "fact_code",
    "omop_table",
    "field",
    "concept_id",
    "vocabulary",
    "concept_code",
    "descendants",
    "how",
    "value",
    "unit",
    "label",
    "status",
    "source",
)


class ConceptMapError(ValueError):
    """The concept map (or the value concepts file) has a row the pre-screen cannot use."""


@dataclass(frozen=True, slots=True)
class MapRow:
    line: int
    fact_code: str
    omop_table: str
    field: str
    concept_id: int | None
    vocabulary: str
    concept_code: str
    descendants: bool
    how: str
    value: str
    unit: str
    label: str
    status: str
    source: str

    @property
    def needs_resolution(self) -> bool:
        """No identifier in the file: resolved from (vocabulary, concept_code) at run time."""
        return self.concept_id is None and self.omop_table != "person"


@dataclass(frozen=True, slots=True)
class ValueConcept:
    kind: Literal["unit", "answer"]
    concept_id: int
    value: str
    label: str
    status: str
    source: str


@dataclass(frozen=True)
class ConceptMap:
    rows: tuple[MapRow, ...]
    values: tuple[ValueConcept, ...]
    path: str

    def for_table(self, table: str) -> list[MapRow]:
        return [r for r in self.rows if r.omop_table == table]

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(sorted({r.omop_table for r in self.rows}))

    @property
    def units(self) -> dict[int, str]:
        return {v.concept_id: v.value for v in self.values if v.kind == "unit"}

    @property
    def answers(self) -> dict[int, int]:
        return {v.concept_id: int(v.value) for v in self.values if v.kind == "answer"}

    def fact_codes(self) -> set[str]:
        return {r.fact_code for r in self.rows if r.fact_code != POPULATION}


def default_map_path() -> Path:
    return Path(str(resources.files("sclerocell.prescreen") / "data" / "concept_map.csv"))


def default_values_path() -> Path:
    return Path(str(resources.files("sclerocell.prescreen") / "data" / "value_concepts.csv"))


def _int(text: str, what: str, line: int) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError as exc:
        raise ConceptMapError(f"line {line}: {what} {text!r} is not an integer") from exc


def _bool(text: str, line: int) -> bool:
    value = text.strip().lower()
    if value in ("yes", "true", "1", "oui"):
        return True
    if value in ("", "no", "false", "0", "non"):
        return False
    raise ConceptMapError(f"line {line}: descendants {text!r}: expected yes or no")


def _check(row: MapRow) -> None:
    where = f"line {row.line}"
    if row.fact_code != POPULATION and row.fact_code not in codes.CODES:
        raise ConceptMapError(f"{where}: unknown fact code {row.fact_code!r}")
    if row.omop_table not in HOWS:
        raise ConceptMapError(f"{where}: unknown OMOP table {row.omop_table!r}")
    if row.how not in HOWS[row.omop_table]:
        raise ConceptMapError(
            f"{where}: {row.omop_table} rows are read as {', '.join(HOWS[row.omop_table])}, "
            f"not {row.how!r}"
        )
    if row.field not in FIELDS[row.omop_table]:
        raise ConceptMapError(f"{where}: {row.omop_table} has no concept field {row.field!r}")
    if row.status not in STATUSES:
        raise ConceptMapError(f"{where}: status {row.status!r}: expected one of {STATUSES}")
    if row.fact_code == POPULATION and row.how != "present":
        raise ConceptMapError(f"{where}: the population is read from rows that are present")
    if row.fact_code != POPULATION:
        kind = codes.get(row.fact_code)
        wanted = {"number": "num", "text": "text", "sex": "text", "birth": "month"}
        if row.how in wanted and kind.value != wanted[row.how]:
            raise ConceptMapError(
                f"{where}: {row.fact_code} holds {kind.value} values, not read as {row.how}"
            )
        if row.how in ("present", "answer", "course") and kind.value != "bool":
            raise ConceptMapError(f"{where}: {row.fact_code} is not a yes/no fact")
    if row.how == "sex" and row.value not in codes.SEXES:
        raise ConceptMapError(f"{where}: sex value {row.value!r}: expected F or M")
    if row.status == "site_local" and (row.concept_id or 0) <= SITE_LOCAL_MIN:
        raise ConceptMapError(f"{where}: a site-local concept id must be > {SITE_LOCAL_MIN}")
    if row.needs_resolution and not (row.vocabulary and row.concept_code):
        raise ConceptMapError(f"{where}: give a concept_id, or a vocabulary and a concept_code")


def parse_rows(lines: Iterable[dict[str, str]]) -> list[MapRow]:
    rows = []
    for n, raw in enumerate(lines, start=2):
        missing = [h for h in HEADER if h not in raw]
        if missing:
            raise ConceptMapError(f"missing column(s): {', '.join(missing)}")
        row = MapRow(
            line=n,
            fact_code=raw["fact_code"].strip(),
            omop_table=raw["omop_table"].strip(),
            field=raw["field"].strip() or "concept",
            concept_id=_int(raw["concept_id"], "concept_id", n),
            vocabulary=raw["vocabulary"].strip(),
            concept_code=raw["concept_code"].strip(),
            descendants=_bool(raw["descendants"], n),
            how=raw["how"].strip(),
            value=raw["value"].strip(),
            unit=raw["unit"].strip(),
            label=raw["label"].strip(),
            status=raw["status"].strip(),
            source=raw["source"].strip(),
        )
        _check(row)
        rows.append(row)
    seen: dict[tuple[str, str, int | None, str, str, str], int] = {}
    for row in rows:
        key = (
            row.omop_table,
            row.field,
            row.concept_id,
            row.vocabulary if row.concept_id is None else "",
            row.concept_code if row.concept_id is None else "",
            row.fact_code,
        )
        if key in seen:
            raise ConceptMapError(f"line {row.line}: the same mapping as line {seen[key]}")
        seen[key] = row.line
    return rows


def parse_values(lines: Iterable[dict[str, str]]) -> list[ValueConcept]:
    found = []
    for n, raw in enumerate(lines, start=2):
        kind = raw.get("kind", "").strip()
        if kind not in ("unit", "answer"):
            raise ConceptMapError(f"value concepts line {n}: kind {kind!r}: unit or answer")
        concept = _int(raw.get("concept_id", ""), "concept_id", n)
        if concept is None:
            raise ConceptMapError(f"value concepts line {n}: concept_id is required")
        value = raw.get("value", "").strip()
        if kind == "answer" and value not in ("0", "1"):
            raise ConceptMapError(f"value concepts line {n}: an answer is 1 or 0, not {value!r}")
        found.append(
            ValueConcept(
                kind,  # type: ignore[arg-type]  # checked above
                concept,
                value,
                raw.get("label", "").strip(),
                raw.get("status", "").strip(),
                raw.get("source", "").strip(),
            )
        )
    return found


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(path: Path | str | None = None, values: Path | str | None = None) -> ConceptMap:
    """The concept map at ``path`` (default: the one shipped for this protocol)."""
    map_path = Path(path) if path is not None else default_map_path()
    values_path = Path(values) if values is not None else default_values_path()
    try:
        rows = parse_rows(_read(map_path))
        value_rows = parse_values(_read(values_path))
    except FileNotFoundError as exc:
        raise ConceptMapError(f"{exc.filename}: no such file") from exc
    return ConceptMap(tuple(rows), tuple(value_rows), str(map_path))


def summary(cmap: ConceptMap, statuses: Sequence[str] = STATUSES) -> dict[str, int]:
    """How many rows of each provenance status the map holds."""
    return {s: sum(r.status == s for r in cmap.rows) for s in statuses}
