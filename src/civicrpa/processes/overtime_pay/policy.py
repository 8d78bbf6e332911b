"""The city's choices for 초과근무수당: every unverified (U) value of ``overtime.md``, in one place.

The deduction, the caps and monthly minute summing are quoted from the *national* rule
(「공무원수당 등에 관한 규정」 Art. 15(4)-(5), V1) and only believed to be copied by the local
지침 (U); the order of the steps, the rounding and how a day's time is recognised are common
practice (U). Each is a field here with the documented default, so the lead can expose them as
process settings (``CIVICRPA_OVERTIME_*``) and a city can confirm or change them. Figures that
live in dated tables (the 9급 60 %, the city's own unit prices) stay in :mod:`.tables`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from civicrpa.processes.overtime_pay.tables import DEFAULT_TABLES, Tables, TablesFile
from civicrpa.runtime.rate_tables import load_rate_tables, rate_tables_from_data


class Recognition(StrEnum):
    """Which time of a day is recognised as overtime (U: ``overtime.md``, data shapes)."""

    #: The overlap of the approved order and the clock record (common practice, the default).
    OVERLAP = "overlap"
    #: The whole clock record outside normal hours, on a day with an approved order.
    RECORD = "record"


class MinuteSumming(StrEnum):
    """Where the remainder under an hour is dropped (V1 national, U local)."""

    #: Add the month's minutes, then drop the remainder under one hour (the default).
    MONTH = "month"
    #: Drop each day's remainder under one hour, then add the hours.
    DAY = "day"


class RateDay(StrEnum):
    """The day of the month whose table rows price the month's hours (U)."""

    #: The first day of the month (the default: pay tables change on 1 January).
    FIRST_DAY = "first_day"
    #: The last day of the month (a row starting mid-month then prices the whole month).
    LAST_DAY = "last_day"


@dataclass(frozen=True, kw_only=True)
class Policy:
    """The rule values a city chooses; defaults are the documented ones, all U unless marked."""

    #: Minutes taken off each weekday's overtime (national Art. 15(5) V1; local U: 60).
    weekday_deduction_minutes: int = 60
    #: Most minutes recognised a day (national Art. 15(4) V1; local U: 240 = 4 h).
    daily_cap_minutes: int = 240
    #: Most hours paid a month (national Art. 15(4) V1; local U: 57; 67 before ~2017, V2).
    monthly_cap_hours: int = 57
    #: Order of steps: deduct the hour, then cap the day (U: True, deduct -> cap -> sum).
    deduct_before_daily_cap: bool = True
    #: Where the remainder under an hour is dropped (V1 national, U local: the month).
    minute_summing: MinuteSumming = MinuteSumming.MONTH
    #: Which time is recognised (U: the overlap of order and record).
    recognition: Recognition = Recognition.OVERLAP
    #: Amounts are floored to this many won (U: 1, 원 미만 절사; 10 for 십원 미만 절사).
    won_unit: int = 1
    #: Which day of the month picks the rate rows (U: the first).
    rate_day: RateDay = RateDay.FIRST_DAY
    #: 정액분: hours paid to staff with ``flat_min_days`` attended days (지침, U: 10; 0 = none).
    flat_hours: int = 10
    #: Attended days (days with a clock-in) needed for the 정액분 (U: 15).
    flat_min_days: int = 15
    #: Whether the 정액분 counts towards the monthly cap (U: False, paid beside it).
    flat_within_monthly_cap: bool = False
    #: Days with the very same clock-in and clock-out, past normal hours, that are flagged
    #: for the department to confirm (the issue's check; the number is U: 5).
    repeated_times_min_days: int = 5
    #: Dated tables: rate formula, unit prices, working hours (V1/V2; local figures U).
    tables: Tables = DEFAULT_TABLES

    def __post_init__(self) -> None:
        counts = {
            "weekday_deduction_minutes": self.weekday_deduction_minutes,
            "daily_cap_minutes": self.daily_cap_minutes,
            "monthly_cap_hours": self.monthly_cap_hours,
            "flat_hours": self.flat_hours,
            "flat_min_days": self.flat_min_days,
        }
        for name, value in counts.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number, 0 or more")
        if isinstance(self.won_unit, bool) or self.won_unit < 1:
            raise ValueError("won_unit must be 1 or more")
        if self.repeated_times_min_days < 2:
            raise ValueError("repeated_times_min_days must be 2 or more")


def load_tables(path: Path) -> Tables:
    """Tables from a JSON or TOML file; a section it omits keeps the built-in rows.

    Raises :class:`~civicrpa.core.errors.ConfigurationError` (``tables.*``) naming the file,
    table, row and field in Korean (:mod:`civicrpa.runtime.rate_tables`).
    """
    return _merged(load_rate_tables(path, TablesFile))


def tables_from_data(data: object) -> Tables:
    """Tables from parsed JSON or TOML data (see :mod:`.tables` for the keys)."""
    return _merged(rate_tables_from_data(data, TablesFile))


def _merged(file: TablesFile) -> Tables:
    return Tables(
        rate_formula=(
            DEFAULT_TABLES.rate_formula if file.rate_formula is None else file.rate_formula.rows
        ),
        pay=DEFAULT_TABLES.pay if file.pay is None else file.pay.rows,
        working_day=(
            DEFAULT_TABLES.working_day if file.working_day is None else file.working_day.rows
        ),
    )


__all__ = ["MinuteSumming", "Policy", "RateDay", "Recognition", "load_tables", "tables_from_data"]
