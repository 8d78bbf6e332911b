"""The city's choices for 교육훈련 실적 등록: every unverified (U) value of ``training-records.md``.

The registration rules of the domain file are suggested, not quoted (R2, **U**): a completion
is registered once (key: staff, course, start date), only 수료 counts, hours are the course's
credited hours, and the record belongs to the completion date's year. How hours are credited
and split (limits per kind of learning) is U too. Each choice is a field here with the
documented default, for the lead to expose as process settings (``CIVICRPA_TRAINING_*``); the
yearly target hours are a dated table by grade (:mod:`.tables`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from civicrpa.processes.training_records.tables import DEFAULT_TABLES, Tables, TablesFile
from civicrpa.runtime.rate_tables import load_rate_tables, rate_tables_from_data


class CreditDay(StrEnum):
    """Which date of a course decides the year its hours count in (U)."""

    #: The completion (end) date: a course ending 2024-12-31 counts in 2024 (the default).
    END_DATE = "end_date"
    #: The start date.
    START_DATE = "start_date"


@dataclass(frozen=True, kw_only=True)
class Policy:
    """The rule values a city chooses; all U, defaults as the domain file suggests."""

    #: Results that are registered (U: only 수료; 미수료 is skipped).
    counted_results: tuple[str, ...] = ("수료",)
    #: The date whose year a completion's hours count in (U: the completion date).
    credit_day: CreditDay = CreditDay.END_DATE
    #: Hours credited a day of group training (집합교육) whose row gives no credited hours;
    #: None refuses such a row (U: the institutes' lists carry the hours).
    hours_per_group_day: Decimal | None = None
    #: Most hours a kind of learning (``group``, ``cyber``, ``in_house``, ``other``) counts a
    #: year towards the target, as ``(kind, hours)`` pairs (U: not seen; no limit by default).
    max_hours_by_kind: tuple[tuple[str, Decimal], ...] = ()
    #: Yearly target hours by grade (U).
    tables: Tables = DEFAULT_TABLES

    def __post_init__(self) -> None:
        if self.hours_per_group_day is not None and self.hours_per_group_day <= 0:
            raise ValueError("hours_per_group_day must be more than 0")
        if any(hours < 0 for _kind, hours in self.max_hours_by_kind):
            raise ValueError("max_hours_by_kind: hours must be 0 or more")

    def limit_of(self, kind: str) -> Decimal | None:
        """The yearly limit of ``kind``, or None."""
        return next((hours for name, hours in self.max_hours_by_kind if name == kind), None)


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
    return Tables(targets=DEFAULT_TABLES.targets if file.targets is None else file.targets.rows)


__all__ = ["CreditDay", "Policy", "load_tables", "tables_from_data"]
