"""The city's choices for 급량비 (특근매식비): every unverified (U) value of ``meal-allowance.md``.

Public sources agree on who may eat at the budget's expense (staff working overtime under an
order, after hours on weekdays and on Saturdays and holidays; V2) and disagree on how much
overtime earns a meal and how many meals a day; offices set that in their own rule. So each is
a field here with the default of the domain file's worked examples, for the lead to expose as
process settings (``CIVICRPA_MEAL_*``). The per-meal cap is a dated table (:mod:`.tables`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from pathlib import Path

from civicrpa.processes.meal_allowance.tables import DEFAULT_TABLES, Tables, TablesFile
from civicrpa.runtime.rate_tables import load_rate_tables, rate_tables_from_data


@dataclass(frozen=True, kw_only=True)
class Policy:
    """The rule values a city chooses; all U, defaults as in the domain file's examples."""

    #: Overtime a day needs before a meal is allowed, counted before the weekday hour's
    #: deduction (U: 60 min, ``min_overtime_minutes_for_meal``; some offices say "past 19:00").
    min_overtime_minutes: int = 60
    #: Meals a person may have a weekday, dinner after hours (U: 1).
    weekday_meals_per_day: int = 1
    #: Meals a person may have on a Saturday or holiday: lunch and dinner (U: 2).
    holiday_meals_per_day: int = 2
    #: On a Saturday or holiday, a meal is allowed when the work covers its time: lunch at
    #: 12:00, dinner at 18:00 (U: "lunch plus dinner if the work spans both").
    lunch_at: time = time(12)
    dinner_at: time = time(18)
    #: The per-meal cap by date (V2).
    tables: Tables = DEFAULT_TABLES

    def __post_init__(self) -> None:
        for name in ("min_overtime_minutes", "weekday_meals_per_day", "holiday_meals_per_day"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number, 0 or more")


def load_tables(path: Path) -> Tables:
    """Tables from a JSON or TOML file; a section it omits keeps the built-in rows.

    Raises :class:`~civicrpa.core.errors.ConfigurationError` naming the file, table, row and
    field in Korean (:mod:`civicrpa.runtime.rate_tables`).
    """
    return _merged(load_rate_tables(path, TablesFile))


def tables_from_data(data: object) -> Tables:
    """Tables from parsed JSON or TOML data (see :mod:`.tables` for the keys)."""
    return _merged(rate_tables_from_data(data, TablesFile))


def _merged(file: TablesFile) -> Tables:
    return Tables(meal_cap=DEFAULT_TABLES.meal_cap if file.meal_cap is None else file.meal_cap.rows)


__all__ = ["Policy", "load_tables", "tables_from_data"]
