"""Dated tables of 출장여비: 관내 flat amounts, 관외 일비 and 식비, lodging caps by destination.

Source: 「공무원 여비 규정」 (Presidential Decree; amendment No. 33312 promulgated and in force
**2023-03-02**) and the 여비업무 처리기준 of the yearly pay guideline, summarised in
``shared/domain/travel-expenses.md``. Local staff follow the city's own 여비 조례, which normally
copies the national amounts: whether Suncheon's does is **U**, so every figure is a row a city
can replace. Amounts are those of grade class 제2호 (과장급 이하); a trip is priced by the rows in
force on the day it starts.

- 관내 (Art. 18, **V2**): inside the city or a round trip under 12 km; 10,000 won under 4 hours,
  20,000 from 4 hours, the lunch hour counted; 10,000 less with an official car; at most 20,000
  a day however many trips.
- 관외 일비 and 식비 (**V2**): 20,000 each a day, 25,000 for trips starting on or after
  2023-03-02; 일비 halved when an official car is used, even for part of the trip (Art. 16(3)).
- 숙박비 caps a night from 2023-03-02 (**V2**): Seoul 100,000, 광역시 80,000, elsewhere 70,000
  (Sejong and Jeju are no 광역시); earlier caps were not found, so no row covers them.

A city replaces a table with a JSON or TOML file (``CIVICRPA_TRAVEL_TABLES_FILE``,
:func:`~.policy.load_tables`, errors in Korean by :mod:`civicrpa.runtime.rate_tables`)::

    [[daily]]
    valid_from = 2023-03-02
    by_class = [{ grade_class = "2호", daily_allowance = 25000, meals = 25000 }]

    [[lodging]]
    valid_from = 2023-03-02
    by_class = [{ grade_class = "2호", seoul = 100000, metro = 80000, other = 70000 }]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from civicrpa.core.dated import DatedRow, DatedTable, NoRowInForce, RateTablesFile
from civicrpa.core.errors import InputRejected
from civicrpa.core.money import WonAmount

#: The decree every figure comes from (V2 amounts; the city's ordinance copying them is U).
REGULATION = "「공무원 여비 규정」"

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
_Class = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ClassDaily(_Frozen):
    """일비 and 식비 a day for one grade class (여비 등급)."""

    grade_class: _Class
    daily_allowance: WonAmount
    meals: WonAmount


class ClassLodging(_Frozen):
    """숙박비 caps a night for one grade class, by destination."""

    grade_class: _Class
    seoul: WonAmount
    metro: WonAmount
    other: WonAmount


def _unique(classes: tuple[ClassDaily, ...] | tuple[ClassLodging, ...]) -> None:
    names = [entry.grade_class for entry in classes]
    if len(set(names)) != len(names):
        raise PydanticCustomError("travel.tables.class_twice", "a grade class twice")


class DailyRow(DatedRow):
    """관외 일비 and 식비 for trips starting on or after ``valid_from``."""

    by_class: tuple[ClassDaily, ...] = Field(min_length=1)
    #: 일비 paid when an official car was used, in percent (Art. 16(3), V2: 50).
    official_car_percent: Annotated[int, Field(strict=True, ge=0, le=100)] = 50
    regulation: _Text = REGULATION
    article: _Text = "제16조, 별표 2"

    @model_validator(mode="after")
    def _classes_once(self) -> Self:
        _unique(self.by_class)
        return self

    def of(self, grade_class: str) -> ClassDaily | None:
        """The rates of ``grade_class``, or None."""
        return next((entry for entry in self.by_class if entry.grade_class == grade_class), None)


class LodgingRow(DatedRow):
    """숙박비 caps a night for trips starting on or after ``valid_from``."""

    by_class: tuple[ClassLodging, ...] = Field(min_length=1)
    regulation: _Text = REGULATION
    article: _Text = "별표 2"

    @model_validator(mode="after")
    def _classes_once(self) -> Self:
        _unique(self.by_class)
        return self

    def of(self, grade_class: str) -> ClassLodging | None:
        """The caps of ``grade_class``, or None."""
        return next((entry for entry in self.by_class if entry.grade_class == grade_class), None)


class InAreaRow(DatedRow):
    """관내 출장 (Art. 18): who counts as in the area, the flat amounts and the day's cap."""

    #: A round trip shorter than this is 관내 wherever it goes (V2: 12 km).
    max_round_trip_km: Annotated[Decimal, Field(gt=0)] = Decimal(12)
    #: Minutes from which the higher amount is paid (V2: 4 hours).
    long_trip_minutes: Annotated[int, Field(strict=True, ge=1)] = 240
    short_amount: WonAmount = 10_000
    long_amount: WonAmount = 20_000
    #: Taken off when an official car was used (V2).
    official_car_deduction: WonAmount = 10_000
    #: The most a person gets a day for 관내 trips, however many (V2).
    daily_cap: WonAmount = 20_000
    regulation: _Text = REGULATION
    article: _Text = "제18조"


#: 관외 일비 and 식비 (V2 both): 20,000 before 2023-03-02 (since when is not known), 25,000 after.
DAILY_ROWS: tuple[DailyRow, ...] = (
    DailyRow(
        valid_from=date.min,
        by_class=(ClassDaily(grade_class="2호", daily_allowance=20_000, meals=20_000),),
    ),
    DailyRow(
        valid_from=date(2023, 3, 2),
        by_class=(ClassDaily(grade_class="2호", daily_allowance=25_000, meals=25_000),),
        article="제16조, 별표 2 (대통령령 제33312호)",
    ),
)
#: Lodging caps from 2023-03-02 (V2); no earlier row was found.
LODGING_ROWS: tuple[LodgingRow, ...] = (
    LodgingRow(
        valid_from=date(2023, 3, 2),
        by_class=(ClassLodging(grade_class="2호", seoul=100_000, metro=80_000, other=70_000),),
    ),
)
#: 관내 rule (V2; undated, so from the start).
IN_AREA_ROWS: tuple[InAreaRow, ...] = (InAreaRow(valid_from=date.min),)


@dataclass(frozen=True, kw_only=True)
class Tables:
    """The tables a :class:`~.policy.Policy` uses, each checked as a
    :class:`~civicrpa.core.dated.DatedTable` when made."""

    daily: tuple[DailyRow, ...] = DAILY_ROWS
    lodging: tuple[LodgingRow, ...] = LODGING_ROWS
    in_area: tuple[InAreaRow, ...] = IN_AREA_ROWS
    _daily: DatedTable[DailyRow] = field(init=False, repr=False, compare=False)
    _lodging: DatedTable[LodgingRow] = field(init=False, repr=False, compare=False)
    _in_area: DatedTable[InAreaRow] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_daily", DatedTable(self.daily, name="daily"))
        object.__setattr__(self, "_lodging", DatedTable(self.lodging, name="lodging"))
        object.__setattr__(self, "_in_area", DatedTable(self.in_area, name="in_area"))

    def daily_on(self, day: date) -> DailyRow:
        """관외 일비 and 식비 for a trip starting on ``day``."""
        return _row_on(self._daily, day)

    def lodging_on(self, day: date) -> LodgingRow:
        """Lodging caps for a trip starting on ``day``."""
        return _row_on(self._lodging, day)

    def in_area_on(self, day: date) -> InAreaRow:
        """The 관내 rule for a trip starting on ``day``."""
        return _row_on(self._in_area, day)


class TablesFile(RateTablesFile):
    """A city's replacement file: a section present replaces that whole table (module docs)."""

    daily: DatedTable[DailyRow] | None = None
    lodging: DatedTable[LodgingRow] | None = None
    in_area: DatedTable[InAreaRow] | None = None


_Row = TypeVar("_Row", DailyRow, LodgingRow, InAreaRow)


def _row_on(table: DatedTable[_Row], day: date) -> _Row:
    try:
        return table.row_on(day)
    except NoRowInForce as exc:
        params = {"table": table.name, "day": day.isoformat()}
        raise InputRejected("travel.no_table_row", params, field="start") from exc


#: The built-in tables.
DEFAULT_TABLES = Tables()

__all__ = [
    "DAILY_ROWS",
    "DEFAULT_TABLES",
    "IN_AREA_ROWS",
    "LODGING_ROWS",
    "REGULATION",
    "ClassDaily",
    "ClassLodging",
    "DailyRow",
    "InAreaRow",
    "LodgingRow",
    "Tables",
    "TablesFile",
]
