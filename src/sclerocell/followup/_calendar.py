"""Calendar months counted from the infusion date.

"Month *m*" is the same day of the month *m* calendar months after the infusion; when that day
does not exist the last day of the month is used (31 January + 1 month = 28 or 29 February).
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)
