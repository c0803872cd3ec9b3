"""The fact table: schema, vocabulary and unit normalisation."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from sclerocell.clinical.units import UnitError
from sclerocell.facts import codes
from sclerocell.facts.schema import Fact, arrow_schema, from_arrow, latest_key, to_arrow
from sclerocell.facts.units import normalise

from .build import fact


def test_it_refuses_nan_as_a_missing_value() -> None:
    with pytest.raises(ValueError, match="never NaN"):
        Fact("S1", "dlco_pct_pred", dt.date(2024, 1, 1), value_num=math.nan, source_row_id="x")


def test_it_round_trips_facts_through_arrow_with_nulls() -> None:
    facts = [
        fact("dlco_pct_pred", dt.date(2024, 1, 1), None, time="08:30"),
        fact("sex", None, text="F"),
    ]
    table = to_arrow(facts)
    assert table.schema == arrow_schema()
    assert table.column("value_num").null_count == 2
    assert from_arrow(table) == facts


def test_it_orders_missing_dates_and_times_first() -> None:
    day = dt.date(2024, 1, 1)
    ordered = sorted(
        [fact("x", day, time="08:00", row="a"), fact("x", None, row="z"), fact("x", day, row="b")],
        key=latest_key,
    )
    assert [f.source_row_id for f in ordered] == ["z", "b", "a"]


def test_it_labels_every_code_in_both_languages() -> None:
    assert len(codes.CODES) > 100
    for definition in codes.CODES.values():
        assert definition.label.fr.strip() and definition.label.en.strip()
        if definition.kind == "measurement":
            assert definition.unit


def test_it_converts_to_the_canonical_unit_and_keeps_the_value_as_measured() -> None:
    converted = normalise("creatinine", 1.0, "mg/dL")
    assert converted.value == 88.42
    assert converted.unit == "µmol/L"
    assert converted.as_measured == "1 mg/dL"
    assert normalise("haemoglobin", 80, "g/L").value == 8.0  # no conversion noise
    assert normalise("pao2", 8, "kPa").value == pytest.approx(60.005, abs=1e-3)
    assert normalise("dlco_pct_pred", 48, "%").as_measured is None


def test_it_refuses_a_unit_of_another_quantity() -> None:
    with pytest.raises(UnitError):
        normalise("creatinine", 1.0, "mmHg")
    with pytest.raises(UnitError):
        normalise("mrss_total", 20, "kg")
