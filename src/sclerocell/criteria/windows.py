"""Time windows relative to the index date, in calendar months.

Month arithmetic clamps to the end of the month (31 March − 1 month = 29 February in a leap year),
like SQL's ``date - INTERVAL n MONTH``. Window bounds are computed here, in Python, once per
evaluation: the compiled SQL receives them as literal dates, so both paths use the same dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sclerocell.criteria.text import Text


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, clamped to the end of the month: the one month
    arithmetic of the project (criterion windows, visit schedule "month *m*" after the infusion,
    tolerance periods, follow-up ends)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, days_in_month(year, month)))


@dataclass(frozen=True, slots=True)
class Window:
    """From ``start_months`` before the index date (``None``: no limit) to ``end_months`` before
    it, both ends included."""

    start_months: int | None
    end_months: int = 0

    def bounds(self, index_date: dt.date) -> tuple[dt.date | None, dt.date]:
        start = None if self.start_months is None else add_months(index_date, -self.start_months)
        return start, add_months(index_date, -self.end_months)

    def contains(self, day: dt.date | None, index_date: dt.date) -> bool:
        if day is None:
            return False
        start, end = self.bounds(index_date)
        return (start is None or start <= day) and day <= end

    def describe(self) -> Text:
        """'within the 3 months before the index date', 'between 18 and 6 months before'…"""
        if self.start_months is None:
            if self.end_months == 0:
                return Text("à la date index ou avant", "on or before the index date")
            return Text(
                f"au moins {self.end_months} mois avant la date index",
                f"at least {self.end_months} months before the index date",
            )
        if self.end_months == 0 and self.start_months == 1:
            return Text(
                "dans le mois précédant la date index", "within the month before the index date"
            )
        if self.end_months == 0:
            return Text(
                f"dans les {self.start_months} mois précédant la date index",
                f"within the {self.start_months} months before the index date",
            )
        return Text(
            f"entre {self.start_months} et {self.end_months} mois avant la date index",
            f"between {self.start_months} and {self.end_months} months before the index date",
        )


ANY_TIME = Window(None)
