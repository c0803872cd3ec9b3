"""Finding a CTCAE v5.0 term: by English words, by MedDRA code, or by its French name.

The NCI table (``sclerocell.clinical.ctcae``) has English texts only. French teams search in
French, so this app ships a French name for **every** one of the 837 v5.0 terms
(``data/ctcae_v5.0_fr.csv``) and the French names of the 26 MedDRA system organ classes the table
uses (``data/meddra_soc_fr.csv``). These are the project's own translation of the English terms,
not the official French CTCAE translation, to be reviewed by the pharmacovigilance unit
(``data/README.md``). The 63 terms most often met in this population carry French synonyms
(“HTA”, “pyrexie”…), and so do other frequent terms (“zona”, “chute de cheveux”).

The French name is for search and display only: an event stores the MedDRA code and the English
term (and SOC) of the table. Search is case-, accent- and ligature-insensitive and matches words
anywhere in a name or synonym, in any order, by their beginning (“thoracique” and “thorac” find
“douleur thoracique pariétale”). Plain Python, no Django: usable from the CLI or a notebook.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

from sclerocell.clinical import ctcae
from sclerocell.clinical.ctcae import CtcaeTerm
from sclerocell.clinical.errors import ClinicalInputError

_HEADER = ["meddra_code", "term", "libelle_fr", "synonymes_fr"]
_SOC_HEADER = ["meddra_soc", "soc_fr"]
DEFAULT_LIMIT = 25


@dataclass(frozen=True)
class FrenchName:
    meddra_code: str
    name: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    """One search result: the term and its French name (None only for a term the table lacks)."""

    term: CtcaeTerm
    french: str | None

    @property
    def soc_french(self) -> str | None:
        return soc_french_name(self.term.soc)


def fold(text: str) -> str:
    """Case-, accent- and ligature-insensitive form (``Œdème`` → ``oedeme``)."""
    decomposed = unicodedata.normalize(
        "NFKD", text.casefold().replace("œ", "oe").replace("æ", "ae")
    )
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(kept.replace("'", " ").replace("’", " ").replace("-", " ").split())


@cache
def french_names() -> Mapping[str, FrenchName]:
    """The French names, by MedDRA code (checked against the CTCAE table on load)."""
    reader = _reader("ctcae_v5.0_fr.csv")
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


def _reader(filename: str) -> Iterator[list[str]]:
    raw = resources.files("sclerocell.web.safety").joinpath(f"data/{filename}").read_bytes()
    return csv.reader(io.StringIO(raw.decode("utf-8"), newline=""))


@cache
def soc_french_names() -> Mapping[str, str]:
    """French names of the MedDRA system organ classes, by English SOC name."""
    reader = _reader("meddra_soc_fr.csv")
    if next(reader) != _SOC_HEADER:
        raise RuntimeError("meddra_soc_fr.csv: unexpected header")
    return MappingProxyType({english: french for english, french in reader})


def soc_french_name(soc: str) -> str | None:
    return soc_french_names().get(soc)


def french_name(meddra_code: str) -> str | None:
    found = french_names().get(meddra_code)
    return None if found is None else found.name


@cache
def _french_index() -> tuple[tuple[FrenchName, str, tuple[str, ...]], ...]:
    return tuple(
        (entry, fold(entry.name), tuple(fold(s) for s in entry.synonyms))
        for entry in french_names().values()
    )


def _starts_words(words: list[str], text: str) -> bool:
    """Every query word starts a word of ``text`` (“thoraci” matches “douleur thoracique”)."""
    text_words = text.split()
    return all(any(t.startswith(word) for t in text_words) for word in words)


def _french_hits(words: list[str]) -> list[tuple[int, str]]:
    phrase = " ".join(words)
    hits = []
    for entry, name, synonyms in _french_index():
        texts = (name, *synonyms)
        if not any(_starts_words(words, text) for text in texts):
            continue
        if phrase == name:
            rank = 0
        elif phrase in synonyms:
            rank = 1
        elif name.startswith(phrase):
            rank = 2
        elif any(text.startswith(phrase) for text in synonyms):
            rank = 3
        else:
            rank = 4
        hits.append((rank, entry.meddra_code))
    return sorted(
        hits, key=lambda hit: (hit[0], _is_other(hit[1]), fold(french_names()[hit[1]].name))
    )


def _is_other(meddra_code: str) -> bool:
    """The "… - Other, specify" terms come after the precise ones of the same rank."""
    return ctcae.get_term(meddra_code).term.endswith("- Other, specify")


def search(query: str, *, limit: int = DEFAULT_LIMIT) -> list[Hit]:
    """Terms matching ``query``: a MedDRA code (or its first digits), French names, English words.

    Order: the code matches, then the French matches (the exact name, an exact synonym, a name
    then a synonym starting with the query, then the rest; in each, the "Other, specify" terms
    last, the others alphabetically), then the
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
