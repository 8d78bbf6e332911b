"""Which days a Korean city hall is open.

Robots that file, pay or notify must run on business days: a batch that fires on Chuseok or on
a substitute holiday finds nobody to review its output. This module answers "is the office open
on this date" from the national calendar (weekends, public holidays under the 공휴일에 관한 법률
and 관공서의 공휴일에 관한 규정, substitute and temporary holidays, as shipped by the
``holidays`` package) corrected by the city's own settings: days the hall is closed although the
nation works, and days it opens although the nation rests.

Holiday years are computed once, on first use, so the scheduler can ask thousands of times.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from civicrpa.core.errors import ConfigurationError

#: How far :meth:`BusinessCalendar.next_business_day` and its mirror look before giving up;
#: no real calendar has a year without a business day, only a misconfigured one does.
_SEARCH_LIMIT_DAYS = 366

#: Monday is 0; Saturday (5) and Sunday (6) are closed.
_SATURDAY = 5


class BusinessCalendar:
    """Business days of a Korean city hall: national calendar plus city settings.

    ``extra_holidays`` are days the city hall is closed (a city anniversary, a local closure);
    ``extra_business_days`` are days it is open although the national calendar says closed.
    A date may not be in both.
    """

    def __init__(
        self,
        *,
        extra_holidays: Iterable[date] = (),
        extra_business_days: Iterable[date] = (),
    ) -> None:
        self._extra_holidays = frozenset(extra_holidays)
        self._extra_business_days = frozenset(extra_business_days)
        both = self._extra_holidays & self._extra_business_days
        if both:
            days = ", ".join(d.isoformat() for d in sorted(both))
            raise ConfigurationError(
                "config.invalid",
                {"detail": f"both an extra holiday and an extra business day: {days}"},
            )
        self._years: dict[int, dict[date, str]] = {}

    @property
    def extra_holidays(self) -> frozenset[date]:
        """Days the city hall is closed on top of the national calendar."""
        return self._extra_holidays

    @property
    def extra_business_days(self) -> frozenset[date]:
        """Days the city hall is open although the national calendar says closed."""
        return self._extra_business_days

    def _holidays_of(self, year: int) -> dict[date, str]:
        known = self._years.get(year)
        if known is None:
            # Imported on first use: the package loads every country's calendar (a third of a
            # second), which a command that never asks about a date should not pay for.
            import holidays

            national = holidays.country_holidays("KR", years=year, language="ko")
            known = dict(national.items())
            self._years[year] = known
        return known

    def holiday_name(self, d: date) -> str | None:
        """The Korean name of the national public holiday on ``d``, or ``None``.

        City overrides do not change the name: a national holiday on which the city opens
        keeps its name. Two holidays on one day come joined by ``"; "``.
        """
        return self._holidays_of(d.year).get(d)

    def is_business_day(self, d: date) -> bool:
        """Whether the city hall is open on ``d``."""
        if d in self._extra_business_days:
            return True
        if d in self._extra_holidays or d.weekday() >= _SATURDAY:
            return False
        return d not in self._holidays_of(d.year)

    def next_business_day(self, d: date, *, include_self: bool = False) -> date:
        """The first business day after ``d`` (or ``d`` itself with ``include_self``)."""
        return self._walk(d, 1, include_self)

    def previous_business_day(self, d: date, *, include_self: bool = False) -> date:
        """The last business day before ``d`` (or ``d`` itself with ``include_self``)."""
        return self._walk(d, -1, include_self)

    def business_days_of_month(self, year: int, month: int) -> list[date]:
        """Every business day of the month, in order."""
        day = date(year, month, 1)
        days: list[date] = []
        while day.month == month:
            if self.is_business_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def _walk(self, d: date, step: int, include_self: bool) -> date:
        day = d if include_self else d + timedelta(days=step)
        for _ in range(_SEARCH_LIMIT_DAYS):
            if self.is_business_day(day):
                return day
            day += timedelta(days=step)
        raise ConfigurationError(
            "config.invalid",
            {"detail": f"no business day within {_SEARCH_LIMIT_DAYS} days of {d.isoformat()}"},
        )

    def __repr__(self) -> str:
        return (
            f"BusinessCalendar(extra_holidays={len(self._extra_holidays)}, "
            f"extra_business_days={len(self._extra_business_days)})"
        )


__all__ = ["BusinessCalendar"]
