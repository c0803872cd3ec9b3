"""CTCAE v5.0 — the NCI Common Terminology Criteria for Adverse Events, as a lookup table.

Source: National Cancer Institute, CTCAE v5.0, 27 November 2017 (public domain), converted from
the NCI spreadsheet ("Clean Copy" sheet) into ``data/ctcae_v5.0.csv`` (a copy of
``shared/reference/ctcae_v5.0.csv``, header kept): 837 terms in 26 MedDRA system organ classes.
Grades: 1 mild; 2 moderate; 3 severe or medically significant, hospitalisation indicated;
4 life-threatening; 5 death. An empty grade text means the grade does not exist for that term.

The trial started under v4.03 and the registry cites v3.0: store :data:`VERSION` with every AE.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

from sclerocell.clinical.errors import ClinicalInputError

__all__ = [
    "GRADE_MEANINGS",
    "VERSION",
    "CtcaeTerm",
    "allowed_grades",
    "get_term",
    "search",
    "system_organ_classes",
    "terms",
    "validate_grade",
]

VERSION = "5.0"
GRADES = (1, 2, 3, 4, 5)
GRADE_MEANINGS: Mapping[int, str] = MappingProxyType(
    {
        1: "Mild",
        2: "Moderate",
        3: "Severe or medically significant; hospitalisation indicated",
        4: "Life-threatening consequences; urgent intervention indicated",
        5: "Death related to the adverse event",
    }
)
_EXPECTED_HEADER = [
    "meddra_code",
    "meddra_soc",
    "term",
    "grade_1",
    "grade_2",
    "grade_3",
    "grade_4",
    "grade_5",
    "definition",
    "navigational_note",
]


@dataclass(frozen=True)
class CtcaeTerm:
    """One CTCAE term. ``grade_texts[g - 1]`` is ``None`` when grade ``g`` does not exist."""

    meddra_code: str
    soc: str
    term: str
    grade_texts: tuple[str | None, str | None, str | None, str | None, str | None]
    definition: str | None
    navigational_note: str | None

    @property
    def allowed_grades(self) -> tuple[int, ...]:
        return tuple(g for g in GRADES if self.grade_texts[g - 1] is not None)

    def grade_text(self, grade: int) -> str | None:
        """The criterion text of ``grade`` (1–5), ``None`` if the grade does not exist."""
        if grade not in GRADES:
            raise ClinicalInputError(f"CTCAE grade {grade!r} is not 1 to 5", field="grade")
        return self.grade_texts[grade - 1]


def _text(value: str) -> str | None:
    stripped = value.strip()
    return stripped or None


def _fold(text: str) -> str:
    """Case- and accent-insensitive form for searching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def terms() -> tuple[CtcaeTerm, ...]:
    """Every CTCAE v5.0 term, in the file's order (loaded once)."""
    raw = resources.files("sclerocell.clinical").joinpath("data/ctcae_v5.0.csv").read_bytes()
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    header = next(reader)
    if header != _EXPECTED_HEADER:
        raise RuntimeError(f"ctcae_v5.0.csv: unexpected header {header}")
    loaded = []
    for row in reader:
        code, soc, term, g1, g2, g3, g4, g5, definition, note = row
        loaded.append(
            CtcaeTerm(
                meddra_code=code.strip(),
                soc=soc.strip(),
                term=term.strip(),
                grade_texts=(_text(g1), _text(g2), _text(g3), _text(g4), _text(g5)),
                definition=_text(definition),
                navigational_note=_text(note),
            )
        )
    return tuple(loaded)


@cache
def _by_code() -> Mapping[str, CtcaeTerm]:
    return MappingProxyType({t.meddra_code: t for t in terms()})


@cache
def _folded() -> tuple[tuple[CtcaeTerm, str, str], ...]:
    return tuple((t, _fold(t.term), _fold(t.definition or "")) for t in terms())


def system_organ_classes() -> tuple[str, ...]:
    """The MedDRA system organ classes, in the table's order."""
    return tuple(dict.fromkeys(t.soc for t in terms()))


def get_term(meddra_code: str | int) -> CtcaeTerm:
    """The term with this MedDRA code; :class:`ClinicalInputError` when there is none."""
    key = str(meddra_code).strip()
    found = _by_code().get(key)
    if found is None:
        raise ClinicalInputError(
            f"CTCAE v{VERSION}: no term with MedDRA code {meddra_code!r}", field="meddra_code"
        )
    return found


def search(
    words: str, *, soc: str | None = None, in_definitions: bool = False, limit: int | None = None
) -> list[CtcaeTerm]:
    """Terms containing every word (case- and accent-insensitive), best matches first:
    exact term, then terms starting with the query, then the rest alphabetically."""
    query = _fold(words).split()
    if not query:
        return []
    phrase = " ".join(query)
    hits: list[tuple[int, str, CtcaeTerm]] = []
    for term, folded_term, folded_definition in _folded():
        if soc is not None and term.soc != soc:
            continue
        haystack = f"{folded_term} {folded_definition}" if in_definitions else folded_term
        if all(word in haystack for word in query):
            rank = 0 if folded_term == phrase else 1 if folded_term.startswith(phrase) else 2
            if rank == 2 and not all(word in folded_term for word in query):
                rank = 3  # matched only through the definition
            hits.append((rank, folded_term, term))
    hits.sort(key=lambda hit: (hit[0], hit[1]))
    found = [term for _, _, term in hits]
    return found if limit is None else found[:limit]


def allowed_grades(meddra_code: str | int) -> tuple[int, ...]:
    """The grades that exist for this term (e.g. (1, 2, 3, 4, 5) or (2, 3))."""
    return get_term(meddra_code).allowed_grades


def validate_grade(meddra_code: str | int, grade: int) -> CtcaeTerm:
    """The term, after checking ``grade`` exists for it; :class:`ClinicalInputError` if not."""
    term = get_term(meddra_code)
    if isinstance(grade, bool) or grade not in term.allowed_grades:
        allowed = ", ".join(str(g) for g in term.allowed_grades)
        raise ClinicalInputError(
            f"CTCAE v{VERSION} {term.term}: grade {grade!r} does not exist (allowed: {allowed})",
            field="grade",
        )
    return term
