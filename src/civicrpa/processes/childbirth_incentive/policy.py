"""The city's choices for 출산장려금 and 산후조리비용: every unverified (U) value, in one place.

No public text gives the residence period an applicant needs, nor what happens to unpaid
instalments when a family moves away (U, see ``shared/domain/childbirth-incentive.md`` R2), so
they are settings with a documented default the city confirms before release. The amount tables
come built in (:mod:`.tables`) and a city may replace them with a file, read and checked here
with the platform's rate-table loader.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from civicrpa.processes.childbirth_incentive.tables import DEFAULT_TABLES, Tables, TablesFile
from civicrpa.runtime.rate_tables import load_rate_tables, rate_tables_from_data


@dataclass(frozen=True, kw_only=True)
class Policy:
    """The rule values a city chooses. Defaults are U unless marked otherwise."""

    #: Months the applicant must have been registered in the city before the birth (U: 6).
    min_residence_months: int = 6
    #: Remaining instalments stop once the family leaves the city (U: True).
    stop_instalments_on_move_out: bool = True
    #: Amount tables by birth date (totals V2; splits, counts and articles U).
    tables: Tables = DEFAULT_TABLES


def load_tables(path: Path) -> Tables:
    """Tables from a JSON or TOML file; a section it omits keeps the built-in rows.

    Raises :class:`~civicrpa.core.errors.ConfigurationError` (``tables.*``) naming the file,
    table, row and field in Korean, so the city's administrator can fix the file
    (:mod:`civicrpa.runtime.rate_tables`).
    """
    return _merged(load_rate_tables(path, TablesFile))


def tables_from_data(data: object) -> Tables:
    """Tables from parsed JSON or TOML data (see :mod:`.tables` for the keys)."""
    return _merged(rate_tables_from_data(data, TablesFile))


def _merged(file: TablesFile) -> Tables:
    return Tables(
        incentive=DEFAULT_TABLES.incentive if file.incentive is None else file.incentive.rows,
        postnatal=DEFAULT_TABLES.postnatal if file.postnatal is None else file.postnatal.rows,
    )


__all__ = ["Policy", "load_tables", "tables_from_data"]
