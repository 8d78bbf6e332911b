"""The city's choices for 출장여비: every unverified (U) value of ``travel-expenses.md``.

The national amounts are V2 and live in dated tables (:mod:`.tables`); whether the city's
ordinance copies them is U, which a city answers by replacing a table. What the domain file
marks U beyond that is here, with its documented default, for the lead to expose as process
settings (``CIVICRPA_TRAVEL_*``): short trips paid at cost, own-car fuel efficiencies, the flat
amount for a night with relatives, and the long-stay reduction of 일비 (thresholds not seen).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from civicrpa.processes.travel_expenses.tables import DEFAULT_TABLES, Tables, TablesFile
from civicrpa.runtime.rate_tables import load_rate_tables, rate_tables_from_data


@dataclass(frozen=True, kw_only=True)
class Policy:
    """The rule values a city chooses; all U, defaults as the domain file gives them."""

    #: A 관내 round trip shorter than this is paid its actual cost only, with receipts, instead
    #: of the flat amount (U: 2 km, one blog).
    short_trip_km: Decimal = Decimal(2)
    #: Own car: km per litre used to turn distance into fuel (U: one province's education
    #: guidance; petrol 13.3, diesel 14.3, LPG 9.77).
    petrol_km_per_litre: Decimal = Decimal("13.3")
    diesel_km_per_litre: Decimal = Decimal("14.3")
    lpg_km_per_litre: Decimal = Decimal("9.77")
    #: A night with relatives, no lodging paid: a flat amount (U: 20,000 won seen).
    relatives_night_flat: int = 20_000
    #: Long stays in one place: ``(day, percent)`` pairs, 일비 of every day after ``day``
    #: reduced by ``percent`` (U: 1/10 to 3/10 quoted, thresholds not seen: none by default).
    long_stay_reductions: tuple[tuple[int, int], ...] = ()
    #: Lodging is paid at its actual cost, so a night without a receipt is not paid (the
    #: reading of "actual cost, up to a cap"; a city that pays the cap without one says False).
    lodging_needs_receipt: bool = True
    #: The dated amounts (V2; the ordinance copying them U).
    tables: Tables = DEFAULT_TABLES

    def __post_init__(self) -> None:
        efficiencies = (self.petrol_km_per_litre, self.diesel_km_per_litre, self.lpg_km_per_litre)
        if self.short_trip_km < 0 or any(value <= 0 for value in efficiencies):
            raise ValueError("distances must be 0 or more and efficiencies more than 0")
        if isinstance(self.relatives_night_flat, bool) or self.relatives_night_flat < 0:
            raise ValueError("relatives_night_flat must be 0 or more")
        days = [day for day, _percent in self.long_stay_reductions]
        if days != sorted(set(days)) or any(
            not 0 <= percent <= 100 for _day, percent in self.long_stay_reductions
        ):
            raise ValueError("long_stay_reductions: increasing days, percents 0..100")


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
    return Tables(
        daily=DEFAULT_TABLES.daily if file.daily is None else file.daily.rows,
        lodging=DEFAULT_TABLES.lodging if file.lodging is None else file.lodging.rows,
        in_area=DEFAULT_TABLES.in_area if file.in_area is None else file.in_area.rows,
    )


__all__ = ["Policy", "load_tables", "tables_from_data"]
