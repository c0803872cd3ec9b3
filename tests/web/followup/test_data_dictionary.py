"""The form declarations drive the tables and the data dictionary: they cannot drift apart."""

from __future__ import annotations

from sclerocell.web.followup.definitions import DICTIONARY_COLUMNS, FORMS, data_dictionary
from sclerocell.web.followup.models import FORM_MODELS, OutcomeForm

LIFE_CYCLE = {f.column for f in OutcomeForm._meta.get_fields() if getattr(f, "column", None)}


def test_every_data_column_of_every_form_is_in_the_dictionary() -> None:
    described = {(row["form"], row["field"]) for row in data_dictionary()}
    stored = {
        (code, field.column)
        for code, model in FORM_MODELS.items()
        for field in model._meta.concrete_fields
        if field.column not in LIFE_CYCLE | {"id", "visit_id"}
    }
    assert described == stored


def test_each_row_has_the_same_columns_and_both_languages() -> None:
    rows = list(data_dictionary())
    assert all(tuple(row) == DICTIONARY_COLUMNS for row in rows)
    fvc = next(r for r in rows if (r["form"], r["field"]) == ("pft", "fvc_percent"))
    assert (fvc["label_fr"], fvc["label_en"]) == ("CVF, % de la théorique", "FVC, % of predicted")
    assert (fvc["minimum"], fvc["maximum"], fvc["plausible_low"], fvc["plausible_high"]) == (
        "10",
        "200",
        "30",
        "150",
    )
    face = next(r for r in rows if (r["form"], r["field"]) == ("mrss", "face"))
    assert face["label_fr"] == "Visage" and face["codes"].startswith("0=0 — normal")


def test_a_lab_value_names_its_unit_column_and_its_code_list() -> None:
    rows = {(r["form"], r["field"]): r for r in data_dictionary()}
    assert rows[("labs", "creatinine_value")]["unit"] == "see creatinine_unit"
    assert rows[("labs", "creatinine_unit")]["codes"] == "µmol/L=µmol/L | mg/dL=mg/dL"


def test_there_is_one_table_per_form() -> None:
    assert set(FORM_MODELS) == set(FORMS)
    assert len({model._meta.db_table for model in FORM_MODELS.values()}) == len(FORMS)
