"""OMOP rows at the door: what becomes a fact, in which unit, and what is rejected with its reason.

One hand-made warehouse holds one person per case; it is read once as Parquet and once as CSV
(every value text), and both must give the same facts and rejects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from sclerocell.facts.units import normalise
from sclerocell.prescreen.run import Prepared, prepare
from sclerocell.prescreen.synth import SCHEMAS

INDEX = dt.date(2024, 6, 15)
DAY = dt.date(2024, 6, 1)
CREAT_MOLES, CREAT_MASS, PLATELETS, HB, SBP = 3020564, 3016723, 3024929, 3000963, 3004249
DLCO, PAO2, WEIGHT = 2_000_000_001, 2_000_000_003, 2_000_000_010
NEOPLASIA, STATEMENT = 2_000_000_134, 2_000_000_158
CYCLO, SSC, M34_1 = 1310317, 134442, 37612309


def naive(*parts: int) -> dt.datetime:
    # OMOP datetimes are local clock times without a zone: naive on purpose.
    return dt.datetime(*parts)  # noqa: DTZ001


def stamp(day: dt.date, h: int, m: int) -> dt.datetime:
    return naive(day.year, day.month, day.day, h, m)


PERSONS = [
    {"person_id": 1, "gender_concept_id": 8532, "year_of_birth": 1970, "month_of_birth": 3},
    {"person_id": 2, "gender_concept_id": 8507, "year_of_birth": 1960, "month_of_birth": None},
    {"person_id": 3, "gender_concept_id": 0, "year_of_birth": 1980, "month_of_birth": 13},
    {
        "person_id": 4,
        "gender_concept_id": 8532,
        "year_of_birth": 1985,
        "birth_datetime": naive(1985, 7, 9),
    },
    {"person_id": 5, "gender_concept_id": 8532, "year_of_birth": 1975, "month_of_birth": 5},
]
M = {"measurement_type_concept_id": 32817, "measurement_date": DAY}
MEASUREMENTS = [
    # 1: creatinine 1.2 mg/dL (ULN 1.1 mg/dL) → µmol/L, with the value as measured kept
    {
        **M,
        "measurement_id": 1,
        "person_id": 1,
        "measurement_concept_id": CREAT_MASS,
        "value_as_number": 1.2,
        "unit_concept_id": 8840,
        "unit_source_value": "mg/dL",
        "range_high": 1.1,
        "measurement_datetime": stamp(DAY, 8, 30),
    },
    # 2: a NaN value
    {
        **M,
        "measurement_id": 2,
        "person_id": 1,
        "measurement_concept_id": CREAT_MOLES,
        "value_as_number": float("nan"),
        "unit_source_value": "µmol/L",
    },
    # 3: a number written with a French decimal comma
    {
        **M,
        "measurement_id": 3,
        "person_id": 1,
        "measurement_concept_id": HB,
        "value_source_value": "12,5",
        "unit_source_value": "g/dL",
    },
    # 4: an unparseable value
    {
        **M,
        "measurement_id": 4,
        "person_id": 1,
        "measurement_concept_id": PLATELETS,
        "value_source_value": "<50",
        "unit_source_value": "G/L",
    },
    # 5: unit concept and written unit disagree
    {
        **M,
        "measurement_id": 5,
        "person_id": 1,
        "measurement_concept_id": CREAT_MOLES,
        "value_as_number": 80.0,
        "unit_concept_id": 8840,
        "unit_source_value": "µmol/L",
    },
    # 6: no unit at all
    {
        **M,
        "measurement_id": 6,
        "person_id": 1,
        "measurement_concept_id": CREAT_MOLES,
        "value_as_number": 80.0,
    },
    # 7: DLCO without a unit: the concept map's default (%)
    {
        **M,
        "measurement_id": 7,
        "person_id": 1,
        "measurement_concept_id": DLCO,
        "value_as_number": 48.0,
        "measurement_datetime": naive(2024, 6, 1),
    },
    # 8: PaO2 in kPa → mmHg
    {
        **M,
        "measurement_id": 8,
        "person_id": 2,
        "measurement_concept_id": PAO2,
        "value_as_number": 7.9,
        "unit_source_value": "kPa",
    },
    # 9: a blood pressure whose datetime is another day: the time is not used
    {
        **M,
        "measurement_id": 9,
        "person_id": 2,
        "measurement_concept_id": SBP,
        "value_as_number": 150.0,
        "unit_source_value": "mmHg",
        "measurement_datetime": stamp(dt.date(2024, 5, 30), 9, 0),
    },
    # 10: no date
    {
        **M,
        "measurement_id": 10,
        "person_id": 2,
        "measurement_concept_id": SBP,
        "value_as_number": 150.0,
        "unit_source_value": "mmHg",
        "measurement_date": None,
    },
    # 11: an infinite value
    {
        **M,
        "measurement_id": 11,
        "person_id": 2,
        "measurement_concept_id": WEIGHT,
        "value_as_number": float("inf"),
        "unit_source_value": "kg",
    },
    # 12: a unit that is not a unit of the quantity
    {
        **M,
        "measurement_id": 12,
        "person_id": 2,
        "measurement_concept_id": PLATELETS,
        "value_as_number": 150.0,
        "unit_source_value": "mmol/L",
    },
    # 13: a concept the map does not know: ignored, neither fact nor reject
    {
        **M,
        "measurement_id": 13,
        "person_id": 2,
        "measurement_concept_id": 123,
        "value_as_number": float("nan"),
    },
    # 15: a unit nobody knows, for a person outside the SSc population: still reported
    {
        **M,
        "measurement_id": 15,
        "person_id": 5,
        "measurement_concept_id": HB,
        "value_as_number": 12.0,
        "unit_source_value": "furlongs",
    },
    # 16: NaN written as text
    {
        **M,
        "measurement_id": 16,
        "person_id": 2,
        "measurement_concept_id": HB,
        "value_source_value": "NaN",
        "unit_source_value": "g/dL",
    },
    # 14: UCUM thousands per microlitre
    {
        **M,
        "measurement_id": 14,
        "person_id": 5,
        "measurement_concept_id": PLATELETS,
        "value_as_number": 210.0,
        "unit_concept_id": 8848,
    },
]
OBS = {"observation_type_concept_id": 32817, "observation_date": DAY}
OBSERVATIONS = [
    {
        **OBS,
        "observation_id": 1,
        "person_id": 1,
        "observation_concept_id": NEOPLASIA,
        "value_as_number": 1.0,
    },
    {
        **OBS,
        "observation_id": 2,
        "person_id": 2,
        "observation_concept_id": NEOPLASIA,
        "value_as_concept_id": 4188540,
    },
    {
        **OBS,
        "observation_id": 3,
        "person_id": 4,
        "observation_concept_id": NEOPLASIA,
        "value_as_string": "Oui",
    },
    {
        **OBS,
        "observation_id": 4,
        "person_id": 5,
        "observation_concept_id": NEOPLASIA,
        "value_as_string": "peut-être",
    },
    {**OBS, "observation_id": 5, "person_id": 5, "observation_concept_id": STATEMENT},
    {
        **OBS,
        "observation_id": 6,
        "person_id": 5,
        "observation_concept_id": NEOPLASIA,
        "value_as_number": 2.0,
    },
]
DRUGS = [
    {
        "drug_exposure_id": 1,
        "person_id": 1,
        "drug_concept_id": CYCLO,
        "drug_exposure_start_date": dt.date(2023, 1, 1),
        "drug_exposure_end_date": dt.date(2023, 1, 2),
        "drug_type_concept_id": 32817,
    },
    {
        "drug_exposure_id": 2,
        "person_id": 2,
        "drug_concept_id": CYCLO,
        "drug_exposure_start_date": dt.date(2023, 1, 1),
        "drug_exposure_end_date": None,
        "drug_type_concept_id": 32817,
    },
]
CONDITIONS = [
    {
        "condition_occurrence_id": 1,
        "person_id": 1,
        "condition_concept_id": SSC,
        "condition_start_date": dt.date(2015, 1, 1),
    },
    {
        "condition_occurrence_id": 2,
        "person_id": 2,
        "condition_concept_id": 0,
        "condition_source_concept_id": M34_1,
        "condition_start_date": dt.date(2016, 1, 1),
    },
]
TABLES = {
    "person": PERSONS,
    "measurement": MEASUREMENTS,
    "observation": OBSERVATIONS,
    "drug_exposure": DRUGS,
    "condition_occurrence": CONDITIONS,
}


def arrow(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = SCHEMAS[name]
    return pa.table(
        {f.name: pa.array([r.get(f.name) for r in rows], f.type) for f in schema}, schema=schema
    )


def write(folder: Path, fmt: str) -> Path:
    folder.mkdir(parents=True)
    for name, rows in TABLES.items():
        table = arrow(name, rows)
        if fmt == "parquet":
            pq.write_table(table, folder / f"{name}.parquet")
        else:
            # As many ETLs export it: upper-case file and column names, every value text.
            text = pa.table(
                {c.upper(): table.column(c).cast(pa.string()) for c in table.column_names}
            )
            pacsv.write_csv(text, folder / f"{name.upper()}.csv")
    return folder


@pytest.fixture(scope="module", params=["parquet", "csv"])
def door(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Prepared]:
    folder = write(tmp_path_factory.mktemp("door") / request.param, request.param)
    prepared = prepare(folder, INDEX, population="all")
    yield prepared
    prepared.close()


def facts(door: Prepared) -> dict[str, dict[str, Any]]:
    return {r["source_row_id"]: r for r in door.facts_arrow().to_pylist()}


def rejects(door: Prepared) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["omop_table"], r["row_id"]): r for r in door.rejects.to_pylist()}


def test_it_converts_a_value_and_its_normal_range_to_the_canonical_unit(door: Prepared) -> None:
    fact = facts(door)["measurement:1/creatinine"]
    assert fact["unit"] == "µmol/L"
    assert fact["value_num"] == pytest.approx(normalise("creatinine", 1.2, "mg/dL").value, abs=1e-9)
    assert fact["ref_high"] == pytest.approx(normalise("creatinine", 1.1, "mg/dL").value, abs=1e-9)
    assert fact["value_text"] == "1.2 mg/dL"
    assert fact["time"] == dt.time(8, 30)
    assert fact["source"] == "omop.measurement"


def test_it_converts_kilopascals_and_ucum_counts(door: Prepared) -> None:
    rows = facts(door)
    assert rows["measurement:8/pao2"]["value_num"] == pytest.approx(7.9 * 7.500615758, abs=1e-6)
    assert rows["measurement:14/platelets"]["value_num"] == 210.0


def test_it_refuses_nan_and_infinity(door: Prepared) -> None:
    found = rejects(door)
    assert found[("measurement", "2")]["problem"] == "NaN is not a value"
    assert found[("measurement", "16")]["problem"] == "NaN is not a value"
    assert found[("measurement", "11")]["problem"] == "infinite value"


def test_it_reads_a_decimal_comma_and_rejects_an_unparseable_value(door: Prepared) -> None:
    assert facts(door)["measurement:3/haemoglobin"]["value_num"] == 12.5
    reject = rejects(door)[("measurement", "4")]
    assert reject["problem"] == "unparseable value"
    assert reject["problem_column"] == "value_source_value"
    assert reject["problem_value"] == "<50"


def test_it_rejects_units_that_disagree_are_missing_or_belong_to_another_quantity(
    door: Prepared,
) -> None:
    found = rejects(door)
    assert "disagree" in found[("measurement", "5")]["problem"]
    assert found[("measurement", "6")]["problem"] == "no unit"
    assert "not a unit of platelets" in found[("measurement", "12")]["problem"]


def test_it_uses_the_concept_maps_default_unit_and_reads_midnight_as_no_time(
    door: Prepared,
) -> None:
    fact = facts(door)["measurement:7/dlco_pct_pred"]
    assert (fact["value_num"], fact["unit"], fact["time"]) == (48.0, "%", None)


def test_it_ignores_a_time_stamped_on_another_day(door: Prepared) -> None:
    fact = facts(door)["measurement:9/sbp"]
    assert (fact["date"], fact["time"]) == (DAY, None)


def test_it_rejects_a_row_without_a_date(door: Prepared) -> None:
    assert rejects(door)[("measurement", "10")]["problem"] == "missing or unreadable date"


def test_it_neither_reads_nor_rejects_concepts_outside_the_map(door: Prepared) -> None:
    assert ("measurement", "13") not in rejects(door)
    assert not [k for k in facts(door) if k.startswith("measurement:13/")]


def test_it_reads_answers_as_numbers_concepts_or_words(door: Prepared) -> None:
    rows = facts(door)
    assert rows["observation:1/neoplasia_history"]["value_num"] == 1.0
    assert rows["observation:2/neoplasia_history"]["value_num"] == 0.0
    assert rows["observation:3/neoplasia_history"]["value_num"] == 1.0
    found = rejects(door)
    assert found[("observation", "4")]["problem"] == "unparseable answer"
    assert found[("observation", "5")]["problem"] == "no answer"
    assert found[("observation", "6")]["problem"] == "an answer is 1 or 0"


def test_it_dates_a_drug_course_on_its_end_and_leaves_an_unknown_end_undated(
    door: Prepared,
) -> None:
    rows = facts(door)
    assert rows["drug_exposure:1/cyclophosphamide_iv_high_dose"]["date"] == dt.date(2023, 1, 2)
    undated = rows["drug_exposure:2/cyclophosphamide_iv_high_dose"]
    assert (undated["date"], undated["value_num"]) == (None, 1.0)


def test_it_reads_sex_and_month_of_birth_from_the_person(door: Prepared) -> None:
    rows = facts(door)
    assert rows["person:1/sex"]["value_text"] == "F"
    assert rows["person:1/birth_month"]["date"] == dt.date(1970, 3, 1)
    assert rows["person:4/birth_month"]["date"] == dt.date(1985, 7, 1)
    assert "person:2/birth_month" not in rows  # month unknown: R-I1 is unknown, not rejected
    assert "person:3/sex" not in rows  # gender 0: sex unknown
    assert rejects(door)[("person", "3")]["problem"] == "month_of_birth out of range"


def test_csv_and_parquet_give_the_same_facts_and_rejects(
    tmp_path: Path,
) -> None:
    both = []
    for fmt in ("parquet", "csv"):
        prepared = prepare(write(tmp_path / fmt, fmt), INDEX, population="all")
        try:
            both.append(
                (
                    prepared.facts_arrow(),
                    prepared.rejects.select(["omop_table", "row_id", "problem"]),
                )
            )
        finally:
            prepared.close()
    assert both[0][0].equals(both[1][0])
    assert both[0][1].equals(both[1][1])


def test_it_notes_what_the_warehouse_cannot_resolve(door: Prepared) -> None:
    notes = " ".join(door.notes)
    assert "LOINC 19872-1 (fvc_pct_pred) not found" in notes
    assert "no concept_ancestor table" in notes
    assert "tables not found" in notes


def test_the_population_comes_from_standard_or_source_diagnosis_codes(tmp_path: Path) -> None:
    prepared = prepare(write(tmp_path / "w", "parquet"), INDEX)
    try:
        subjects = set(prepared.facts_arrow().column("subject_id").to_pylist())
        assert prepared.population == 2
        assert subjects == {"1", "2"}
        assert prepared.persons == 5
        # Rows outside the population are not read into facts, but are still checked.
        found = rejects(prepared)
        assert "not a unit of haemoglobin" in found[("measurement", "15")]["problem"]
        assert found[("observation", "4")]["problem"] == "unparseable answer"
        assert found[("person", "3")]["problem"] == "month_of_birth out of range"
    finally:
        prepared.close()


def test_everyone_can_be_screened_and_a_person_without_facts_gets_the_no_data_answers(
    tmp_path: Path,
) -> None:
    from sclerocell.prescreen.run import prescreen
    from sclerocell.protocol.screen import screen

    result = prescreen(write(tmp_path / "w", "parquet"), INDEX, population="all", exact_top=0)
    rows = {r["subject_id"]: r for r in result.statuses.to_pylist()}
    assert set(rows) == {"1", "2", "3", "4", "5"}
    no_facts = screen("recipient", [], INDEX).result.statuses()
    assert {k: rows["3"][k] for k in no_facts} == {k: s.code for k, s in no_facts.items()}
    assert rows["3"]["last_data_date"] is None


def test_a_csv_warehouse_on_spark_gives_the_facts_and_rejects_of_parquet_on_duckdb(
    tmp_path: Path, spark: Any
) -> None:
    """Spark reads CSV text, trims, casts and spots NaN its own way: the door must not care."""
    found = []
    for fmt, engine in (("parquet", "duckdb"), ("csv", "spark")):
        prepared = prepare(
            write(tmp_path / fmt, fmt),
            INDEX,
            population="all",
            engine=engine,  # type: ignore[arg-type]
            spark=spark if engine == "spark" else None,
        )
        try:
            facts = prepared.facts_arrow().sort_by("source_row_id")
            refused = prepared.rejects.select(["omop_table", "row_id", "problem"])
            found.append(
                (facts, refused.sort_by([("omop_table", "ascending"), ("row_id", "ascending")]))
            )
        finally:
            prepared.close()
    assert found[0][0].equals(found[1][0])
    assert found[0][1].equals(found[1][1])
