"""CTCAE v5.0 terms: the table, lookups, search and allowed grades."""

from __future__ import annotations

import pytest

from sclerocell.clinical import ctcae
from sclerocell.clinical.errors import ClinicalInputError


def test_the_table_has_837_terms_in_26_system_organ_classes() -> None:
    assert len(ctcae.terms()) == 837
    assert len(ctcae.system_organ_classes()) == 26
    assert len({t.meddra_code for t in ctcae.terms()}) == 837


def test_it_is_loaded_once() -> None:
    assert ctcae.terms() is ctcae.terms()


def test_it_looks_a_term_up_by_meddra_code() -> None:
    anemia = ctcae.get_term(10002272)
    assert anemia.term == "Anemia"
    assert anemia.soc == "Blood and lymphatic system disorders"
    assert "transfusion indicated" in (anemia.grade_text(3) or "")
    assert anemia.definition is not None
    assert ctcae.get_term("10002272") is anemia


def test_an_unknown_code_is_a_clear_error() -> None:
    with pytest.raises(ClinicalInputError, match="99999999"):
        ctcae.get_term("99999999")


def test_an_empty_grade_text_means_the_grade_does_not_exist() -> None:
    assert ctcae.allowed_grades("10014950") == (1, 3)  # Eosinophilia
    assert ctcae.allowed_grades("10013442") == (2, 3, 4, 5)  # Disseminated intravascular coag.
    assert ctcae.get_term("10014950").grade_text(2) is None


def test_it_validates_a_grade_for_a_term() -> None:
    assert ctcae.validate_grade("10002272", 5).term == "Anemia"
    with pytest.raises(ClinicalInputError, match=r"grade 2 does not exist \(allowed: 1, 3\)"):
        ctcae.validate_grade("10014950", 2)
    with pytest.raises(ClinicalInputError, match="grade 6"):
        ctcae.get_term("10002272").grade_text(6)


def test_search_is_case_and_accent_insensitive() -> None:
    assert [t.term for t in ctcae.search("ANÉMIA")] == ["Anemia"]
    found = [t.term for t in ctcae.search("neutrophil count")]
    assert found[0] == "Neutrophil count decreased"


def test_search_ranks_exact_then_prefix_matches_first() -> None:
    results = [t.term for t in ctcae.search("fever")]
    assert results[0] == "Fever"
    assert all("fever" in r.casefold() for r in results)


def test_search_can_look_in_definitions_and_filter_by_soc() -> None:
    plain = ctcae.search("scleroderma")
    with_definitions = ctcae.search("scleroderma", in_definitions=True)
    assert len(with_definitions) >= len(plain)
    renal = ctcae.search("injury", soc="Renal and urinary disorders")
    assert renal and all(t.soc == "Renal and urinary disorders" for t in renal)
    assert ctcae.search("   ") == []
    assert len(ctcae.search("pain", limit=3)) == 3


def test_the_navigational_note_is_kept_when_present() -> None:
    notes = [t for t in ctcae.terms() if t.navigational_note]
    assert notes
    assert all(t.navigational_note and t.navigational_note.strip() for t in notes)
