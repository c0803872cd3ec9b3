"""The unit of a numeric OMOP row: concept, written unit, default; conversion factors."""

from __future__ import annotations

import pytest

from sclerocell.prescreen.units import choose, factor

UNITS = {8840: "mg/dL", 8749: "µmol/L", 8848: "10*3/uL"}


def test_it_takes_the_factor_from_the_units_module() -> None:
    assert factor("creatinine", "mg/dL") == pytest.approx(88.42)
    assert factor("pao2", "kPa") == pytest.approx(7.50062, abs=1e-5)
    assert factor("haemoglobin", "g/L") == pytest.approx(0.1)


def test_a_unit_concept_and_a_written_unit_that_agree_are_one_unit() -> None:
    chosen = choose("creatinine", 8840, "mg/dl", "", UNITS)
    assert (chosen.spelling, chosen.problem) == ("mg/dL", None)


def test_a_unit_concept_and_a_written_unit_that_disagree_reject_the_row() -> None:
    assert "disagree" in (choose("creatinine", 8840, "µmol/L", "", UNITS).problem or "")


def test_it_falls_back_to_the_written_unit_then_to_the_maps_default() -> None:
    assert choose("creatinine", 999, "µmol/L", "", UNITS).factor == 1.0
    assert choose("dlco_pct_pred", 0, "", "%", UNITS).factor == 1.0
    assert choose("creatinine", 0, "", "", UNITS).problem == "no unit"
    assert "not a known unit concept" in (choose("creatinine", 999, "", "", UNITS).problem or "")


def test_it_reads_ucum_counts_per_microlitre_as_giga_per_litre() -> None:
    assert choose("platelets", 8848, "", "", UNITS).factor == 1.0


def test_a_unit_of_another_quantity_is_refused_with_the_units_modules_message() -> None:
    problem = choose("platelets", 0, "mmol/L", "", UNITS).problem or ""
    assert "not a unit of platelets" in problem
