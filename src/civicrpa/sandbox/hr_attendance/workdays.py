"""Which days are working days: Korean public holidays (with substitutes) and weekends.

Overtime and meal rules differ by kind of day (a weekday loses one hour, a Saturday does not),
so the attendance records and the export carry the kind of each day.
"""

from __future__ import annotations

import functools
from datetime import date, time
from enum import StrEnum

import holidays


class DayType(StrEnum):
    """The kind of a calendar day, as the overtime rules see it."""

    #: Monday to Friday, not a public holiday.
    WEEKDAY = "weekday"
    #: Saturday (not a public holiday).
    SATURDAY = "saturday"
    #: Sunday.
    SUNDAY = "sunday"
    #: A public holiday, substitute holidays included.
    HOLIDAY = "holiday"


DAY_TYPE_KO = {
    DayType.WEEKDAY: "평일",
    DayType.SATURDAY: "토요일",
    DayType.SUNDAY: "일요일",
    DayType.HOLIDAY: "공휴일",
}
WEEKDAY_KO = ("월", "화", "수", "목", "금", "토", "일")
#: Normal office hours (지방공무원 복무규정 Art. 2): overtime on a weekday lies outside them.
OFFICE_START, OFFICE_END = time(9, 0), time(18, 0)


@functools.lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("KR", years=year))


def day_type(day: date) -> DayType:
    """The kind of ``day``; a holiday on a weekend counts as a holiday."""
    if day in _holidays(day.year):
        return DayType.HOLIDAY
    if day.weekday() == 5:
        return DayType.SATURDAY
    if day.weekday() == 6:
        return DayType.SUNDAY
    return DayType.WEEKDAY
