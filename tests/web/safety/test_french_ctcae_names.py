"""terms: every CTCAE v5.0 term and system organ class has a French name a French nurse can find."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from importlib import resources

import pytest

from sclerocell.clinical import ctcae
from sclerocell.web.safety import terms
from sclerocell.web.trial.models import Participant
from tests.web.conftest import Personas
from tests.web.safety.conftest import event

# sha256 of the header and the 63 hand-curated rows as first shipped (commit of the 63-term table):
# the full translation was appended after them, leaving them byte for byte as they were.
CURATED_SHA256 = "fef8b6917b4f576ae8126c3ce84d44c0543855d656ff9f2a3443a529a13cc7b2"
CURATED_ROWS = 63


def data_text(name: str) -> str:
    return resources.files("sclerocell.web.safety").joinpath(f"data/{name}").read_text("utf-8")


def first(query: str) -> str:
    return terms.search(query)[0].term.term


def found(query: str) -> list[str]:
    return [hit.term.term for hit in terms.search(query)]


def test_every_ctcae_term_has_a_french_name() -> None:
    names = terms.french_names()
    table = ctcae.terms()
    assert len(table) == 837
    assert {t.meddra_code for t in table} == set(names)
    for term in table:
        assert names[term.meddra_code].name.strip(), term.term
        assert terms.search(term.meddra_code)[0].french == names[term.meddra_code].name


def test_each_french_name_belongs_to_one_term_only() -> None:
    by_name: dict[str, list[str]] = defaultdict(list)
    for entry in terms.french_names().values():
        by_name[terms.fold(entry.name)].append(ctcae.get_term(entry.meddra_code).term)
    shared = {name: english for name, english in by_name.items() if len(english) > 1}
    assert shared == {}


def test_french_names_are_written_in_lower_case_like_a_clinician_writes_them() -> None:
    for entry in terms.french_names().values():
        assert not entry.name[0].isupper() or entry.name.split()[0].isupper(), entry.name
        assert entry.name == entry.name.strip()


def test_other_specify_terms_read_autre_preciser() -> None:
    for term in ctcae.terms():
        name = terms.french_name(term.meddra_code) or ""
        if term.term.endswith(" - Other, specify"):
            assert "autre" in terms.fold(name) and "preciser" in terms.fold(name), name


def test_the_63_curated_rows_are_unchanged() -> None:
    lines = data_text("ctcae_v5.0_fr.csv").splitlines(keepends=True)
    curated = "".join(lines[: CURATED_ROWS + 1]).encode("utf-8")
    assert hashlib.sha256(curated).hexdigest() == CURATED_SHA256
    assert terms.french_names()["10016558"].synonyms == (
        "hyperthermie",
        "pyrexie",
        "fébrile",
        "température",
    )


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("alopécie", "Alopecia"),
        ("ALOPECIE", "Alopecia"),
        ("chute de cheveux", "Alopecia"),
        ("neutropénie", "Neutrophil count decreased"),
        ("zona", "Shingles"),
        ("insuffisance rénale aiguë", "Acute kidney injury"),
        ("insuffisance renale aigue", "Acute kidney injury"),
        ("insuffisance cardiaque", "Heart failure"),
        ("œdème du visage", "Edema face"),
        ("oedeme du visage", "Edema face"),
        ("hémorragie cæcale", "Cecal hemorrhage"),
        ("muguet", "Thrush"),
        ("fièvre", "Fever"),
    ],
)
def test_a_french_search_finds_the_term_first(query: str, term: str) -> None:
    assert first(query) == term


def test_words_are_found_inside_names_in_any_order() -> None:
    chest = found("douleur thoracique")
    assert "Chest wall pain" in chest
    assert "Chest pain - cardiac" in chest
    assert "Chest wall pain" in found("thoracique douleur")
    assert "Chest wall pain" in found("thorac")


def test_a_french_search_does_not_match_the_middle_of_a_word() -> None:
    assert "Endophthalmitis" not in found("hta")


def test_other_specify_terms_come_after_the_precise_ones() -> None:
    hits = found("cardiaque")
    assert hits.index("Cardiac arrest") < hits.index("Cardiac disorders - Other, specify")


def test_every_system_organ_class_has_a_french_name() -> None:
    socs = {term.soc for term in ctcae.terms()}
    assert len(socs) == 26
    assert set(terms.soc_french_names()) == socs
    assert all(name.strip() for name in terms.soc_french_names().values())
    assert len(set(terms.soc_french_names().values())) == 26
    hit = terms.search("zona")[0]
    assert hit.soc_french == "Infections et infestations"


def test_an_event_found_by_its_french_name_stores_the_english_term_and_code(
    recipient: Participant, personas: Personas
) -> None:
    hit = terms.search("zona")[0]
    recorded = event(recipient, personas.nurse_a, meddra_code=hit.term.meddra_code, grade=2)
    recorded.refresh_from_db()
    assert (recorded.meddra_code, recorded.term, recorded.soc) == (
        hit.term.meddra_code,
        "Shingles",
        "Infections and infestations",
    )


def test_the_french_table_says_it_is_the_projects_own_translation() -> None:
    readme = data_text("README.md")
    assert "not the official French CTCAE translation" in readme
    assert "reviewed by the pharmacovigilance unit" in readme
