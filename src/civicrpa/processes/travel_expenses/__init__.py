"""출장여비 (travel expenses; Suncheon's 출장여비 지급): pure rules.

Regulation: 「공무원 여비 규정」 (in force 2023-03-02) as the city's 여비 조례 is believed to copy
it (``shared/domain/travel-expenses.md``). The amounts are dated tables (:mod:`.tables`), the
city's unverified choices a :class:`Policy` (:mod:`.policy`), the approved trip :mod:`.inputs`
and the expenses pure functions (:mod:`.rules`). The robot's steps and its wiring come beside
them.
"""

from __future__ import annotations

from civicrpa.processes.travel_expenses import messages  # noqa: F401 - its texts, merged on import
from civicrpa.processes.travel_expenses.inputs import (
    Fare,
    FareRow,
    Fuel,
    Night,
    NightRow,
    OwnCar,
    OwnCarRow,
    Region,
    Transport,
    Trip,
    TripRow,
    check_trip_rows,
    to_trip,
)
from civicrpa.processes.travel_expenses.policy import Policy, load_tables, tables_from_data
from civicrpa.processes.travel_expenses.rules import (
    TripExpenses,
    TripKind,
    daily_allowance,
    daily_rates,
    expenses_of_trips,
    fares,
    fuel_amount,
    in_area_amount,
    in_area_expenses,
    is_short_trip,
    lodging,
    lodging_caps,
    night_cap,
    out_of_area_expenses,
    trip_expenses,
    trip_kind,
)
from civicrpa.processes.travel_expenses.tables import (
    DEFAULT_TABLES,
    REGULATION,
    ClassDaily,
    ClassLodging,
    DailyRow,
    InAreaRow,
    LodgingRow,
    Tables,
)

__all__ = [
    "DEFAULT_TABLES",
    "REGULATION",
    "ClassDaily",
    "ClassLodging",
    "DailyRow",
    "Fare",
    "FareRow",
    "Fuel",
    "InAreaRow",
    "LodgingRow",
    "Night",
    "NightRow",
    "OwnCar",
    "OwnCarRow",
    "Policy",
    "Region",
    "Tables",
    "Transport",
    "Trip",
    "TripExpenses",
    "TripKind",
    "TripRow",
    "check_trip_rows",
    "daily_allowance",
    "daily_rates",
    "expenses_of_trips",
    "fares",
    "fuel_amount",
    "in_area_amount",
    "in_area_expenses",
    "is_short_trip",
    "load_tables",
    "lodging",
    "lodging_caps",
    "night_cap",
    "out_of_area_expenses",
    "tables_from_data",
    "to_trip",
    "trip_expenses",
    "trip_kind",
]
