"""terms: the CTCAE v5.0 terms found by English words, MedDRA code, or a curated French name."""

from __future__ import annotations

from sclerocell.clinical import ctcae
from sclerocell.web.safety import terms


def codes(query: str) -> list[str]:
    return [hit.term.meddra_code for hit in terms.search(query)]


def test_every_curated_french_name_points_to_a_term_of_the_table() -> None:
    names = terms.french_names()
    assert len(names) >= 40
    for code in names:
        assert ctcae.get_term(code).meddra_code == code


def test_french_names_find_the_most_frequent_terms() -> None:
    assert codes("fièvre")[0] == "10016558"  # Fever
    assert codes("réaction perfusionnelle")[0] == "10051792"  # Infusion related reaction
    assert codes("anemie")[0] == "10002272"  # accents are optional
    assert codes("insuffisance rénale aiguë")[0] == "10069339"  # Acute kidney injury
    assert codes("HTA")[0] == "10020772"  # Hypertension
    assert "10061229" in codes("pneumonie")  # Lung infection


def test_english_words_search_the_whole_table() -> None:
    assert codes("kidney injury")[0] == "10069339"
    assert "10042772" in codes("syncope")


def test_a_meddra_code_finds_its_term() -> None:
    assert codes("10028813") == ["10028813"]


def test_an_unknown_word_finds_nothing() -> None:
    assert terms.search("xyzzy") == []
    assert terms.search("  ") == []


def test_results_are_limited() -> None:
    assert len(terms.search("infection", limit=5)) == 5
