"""Finding a CTCAE v5.0 term: by English words, by MedDRA code, or by a French name.

The NCI table (``sclerocell.clinical.ctcae``) has English texts only. French teams search in
French, so a small curated table ships with this app (``data/ctcae_v5.0_fr.csv``): a French name
and French synonyms for the ~60 terms most often met in this population — infusion reactions,
fever, anaemia, infections, dyspnoea, hypertension, renal failure, digital ulcers, cytopenias,
the neoplasm terms… A French word outside that table finds nothing: search in English or by
MedDRA code then (the picker says so). Plain Python, no Django: usable from the CLI or a notebook.
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

from sclerocell.clinical import ctcae
from sclerocell.clinical.ctcae import CtcaeTerm
from sclerocell.clinical.errors import ClinicalInputError

_HEADER = ["meddra_code", "term", "libelle_fr", "synonymes_fr"]
DEFAULT_LIMIT = 25


@dataclass(frozen=True)
class FrenchName:
    meddra_code: str
    name: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    """One search result: the term and its French name when the curated table has one."""

    term: CtcaeTerm
    french: str | None


def fold(text: str) -> str:
    """Case-, accent- and ligature-insensitive form (``Œdème`` → ``oedeme``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("œ", "oe"))
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(kept.replace("'", " ").replace("’", " ").replace("-", " ").split())


@cache
def french_names() -> Mapping[str, FrenchName]:
    """The curated French names, by MedDRA code (checked against the CTCAE table on load)."""
    raw = resources.files("sclerocell.web.safety").joinpath("data/ctcae_v5.0_fr.csv").read_bytes()
    reader = csv.reader(io.StringIO(raw.decode("utf-8"), newline=""))
    if next(reader) != _HEADER:
        raise RuntimeError("ctcae_v5.0_fr.csv: unexpected header")
    names: dict[str, FrenchName] = {}
    for code, english, name, synonyms in reader:
        term = ctcae.get_term(code)
        if term.term != english:
            raise RuntimeError(f"ctcae_v5.0_fr.csv: {code} is {term.term!r}, not {english!r}")
        names[code] = FrenchName(
            code, name, tuple(s.strip() for s in synonyms.split("|") if s.strip())
        )
    return MappingProxyType(names)


def french_name(meddra_code: str) -> str | None:
    found = french_names().get(meddra_code)
    return None if found is None else found.name


@cache
def _french_index() -> tuple[tuple[FrenchName, str, tuple[str, ...]], ...]:
    return tuple(
        (entry, fold(entry.name), tuple(fold(s) for s in entry.synonyms))
        for entry in french_names().values()
    )


def _french_hits(words: list[str]) -> list[tuple[int, str]]:
    phrase = " ".join(words)
    hits = []
    for entry, name, synonyms in _french_index():
        texts = (name, *synonyms)
        if not any(all(word in text for word in words) for text in texts):
            continue
        if phrase in texts:
            rank = 0
        elif any(text.startswith(phrase) for text in texts):
            rank = 1
        else:
            rank = 2
        hits.append((rank, entry.meddra_code))
    return sorted(hits, key=lambda hit: (hit[0], fold(french_names()[hit[1]].name)))


def search(query: str, *, limit: int = DEFAULT_LIMIT) -> list[Hit]:
    """Terms matching ``query``: a MedDRA code (or its first digits), French names, English words.

    Order: the code matches, then the French matches (exact name or synonym first), then the
    English matches of ``ctcae.search`` (exact term, then terms starting with the query).
    """
    text = query.strip()
    if not text:
        return []
    codes: list[str] = []
    if text.isdigit():
        codes = [t.meddra_code for t in ctcae.terms() if t.meddra_code.startswith(text)]
    words = fold(text).split()
    codes += [code for _, code in _french_hits(words)]
    codes += [t.meddra_code for t in ctcae.search(text)]
    unique = list(dict.fromkeys(codes))[:limit]
    return [Hit(ctcae.get_term(code), french_name(code)) for code in unique]


def get(meddra_code: str) -> Hit | None:
    """The term with this code, or None (no exception: the picker shows "no such term")."""
    try:
        term = ctcae.get_term(meddra_code)
    except ClinicalInputError:
        return None
    return Hit(term, french_name(term.meddra_code))
