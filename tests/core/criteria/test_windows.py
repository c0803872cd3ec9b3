"""Calendar-month windows before the index date, clamped to the end of the month."""

from __future__ import annotations

import datetime as dt

from sclerocell.criteria.windows import Window, add_months


def test_it_clamps_month_arithmetic_to_the_end_of_the_month() -> None:
    assert add_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 3, 31), -1) == dt.date(2023, 2, 28)
    assert add_months(dt.date(2024, 1, 15), -13) == dt.date(2022, 12, 15)


def test_it_includes_both_ends_of_a_window() -> None:
    window = Window(3)
    index = dt.date(2024, 5, 15)
    assert window.contains(dt.date(2024, 2, 15), index)
    assert window.contains(index, index)
    assert not window.contains(dt.date(2024, 2, 14), index)
    assert not window.contains(dt.date(2024, 5, 16), index)
    assert not window.contains(None, index)


def test_it_describes_windows_in_both_languages() -> None:
    text = Window(18, 6).describe()
    assert "18" in text.fr and "6" in text.fr
    assert text.en == "between 18 and 6 months before the index date"
