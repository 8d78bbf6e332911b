"""Dated tables of 초과근무수당 (시간외근무수당): the rate formula, unit prices, working hours.

Sources, summarised in ``shared/domain/overtime.md``:

- 「지방공무원 수당 등에 관한 규정」 (Presidential Decree) Art. 15(2), amended 2017-09-05: hourly
  rate = 봉급기준액 x 1/209 x 150 %, 봉급기준액 = 55 % of the monthly pay of the grade's reference
  step (기준호봉, 별표 11). **V1** (article quoted in a public page).
- The national 「공무원수당 등에 관한 규정」, amended 2025-01-03, uses 60 % for 9급: **V1 for
  national staff**; whether the local decree followed is **U**, so it is its own row.
- 2025 national unit prices (general service) 5급 15,510 · 6급 13,229 · 7급 11,950 · 8급 10,729 ·
  9급 10,579 won an hour: **V2** (two blogs agree); the city's own table is **U**.
- Normal hours 09:00-18:00 (「지방공무원 복무규정」 Art. 2): **V2**.

A grade is paid by its published unit price when the pay row has one, else by the formula from
its reference pay (``base_pay``). A city replaces any table with a JSON or TOML file
(``CIVICRPA_OVERTIME_TABLES_FILE``, read by :func:`~.policy.load_tables` through
:mod:`civicrpa.runtime.rate_tables`, whose errors name the file, table, row and field in Korean);
a section present replaces that whole table::

    [[pay]]
    valid_from = 2026-01-01
    grades = [{ grade = "6급", base_pay = 3500000 }, { grade = "9급", unit_price = 11000 }]

    [[rate_formula]]
    valid_from = 2025-01-03
    rate_percent = 55
    by_grade = [{ grade = "9급", rate_percent = 60 }]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Annotated, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from civicrpa.core.dated import DatedRow, DatedTable, NoRowInForce, RateTablesFile
from civicrpa.core.errors import InputRejected
from civicrpa.core.money import WonAmount

#: The decree the rate comes from (V1).
REGULATION = "「지방공무원 수당 등에 관한 규정」"
#: The yearly MOIS guideline whose unit prices the pay rows copy (V2 national; local U).
GUIDELINE = "「지방공무원 보수업무 등 처리지침」"
#: Normal working hours (V2).
SERVICE_REGULATION = "「지방공무원 복무규정」"

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
_Grade = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
_Percent = Annotated[int, Field(strict=True, ge=1, le=1000)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GradePercent(_Frozen):
    """A grade whose 봉급기준액 is another share of its reference pay (9급: 60 %)."""

    grade: _Grade
    rate_percent: _Percent


class RateFormulaRow(DatedRow):
    """시간당 단가 = reference pay x rate % x 1/``divisor`` x ``premium_percent`` % (Art. 15(2))."""

    #: 봉급기준액 as a share of the reference step's monthly pay, in percent (V1: 55).
    rate_percent: _Percent = 55
    #: Grades with another share (national 9급 60 % from 2025-01-03: V1 national, U local).
    by_grade: tuple[GradePercent, ...] = ()
    #: Monthly hours the pay is divided by (V1: 209).
    divisor: Annotated[int, Field(strict=True, ge=1)] = 209
    #: Overtime premium in percent (V1: 150).
    premium_percent: _Percent = 150
    regulation: _Text = REGULATION
    article: _Text = "제15조제2항"

    def percent_for(self, grade: str) -> int:
        """The 봉급기준액 share of ``grade``."""
        for entry in self.by_grade:
            if entry.grade == grade:
                return entry.rate_percent
        return self.rate_percent


class GradePay(_Frozen):
    """What one grade is paid by: a published unit price, or the reference pay for the formula."""

    grade: _Grade
    #: Monthly pay (봉급액) of the grade's reference step (기준호봉), before the rate share.
    base_pay: WonAmount | None = None
    #: The published hourly unit price (시간당 단가), used as it is when present.
    unit_price: WonAmount | None = None

    @model_validator(mode="after")
    def _has_a_figure(self) -> Self:
        if self.base_pay is None and self.unit_price is None:
            raise PydanticCustomError("overtime.tables.grade_without_pay", "no pay figure")
        return self


class PayRow(DatedRow):
    """Unit prices or reference pays by grade, for overtime worked on or after ``valid_from``."""

    grades: tuple[GradePay, ...] = Field(min_length=1)
    regulation: _Text = GUIDELINE
    article: _Text = "시간외근무수당 단가"

    @model_validator(mode="after")
    def _grades_once(self) -> Self:
        names = [entry.grade for entry in self.grades]
        if len(set(names)) != len(names):
            raise PydanticCustomError("overtime.tables.grade_twice", "a grade twice")
        return self

    def pay_of(self, grade: str) -> GradePay | None:
        """The figures of ``grade``, or None when the row has none."""
        for entry in self.grades:
            if entry.grade == grade:
                return entry
        return None


class WorkingDayRow(DatedRow):
    """Normal working hours on a weekday; weekday overtime is the time outside them."""

    start: time = time(9)
    end: time = time(18)
    regulation: _Text = SERVICE_REGULATION
    article: _Text = "제2조"

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise PydanticCustomError("overtime.tables.hours_reversed", "end before start")
        return self


#: Built-in rate formula rows (V1 text; the 9급 row is national, U for the local decree).
RATE_FORMULA_ROWS: tuple[RateFormulaRow, ...] = (
    RateFormulaRow(valid_from=date(2017, 9, 5)),
    RateFormulaRow(
        valid_from=date(2025, 1, 3),
        by_grade=(GradePercent(grade="9급", rate_percent=60),),
        regulation="「공무원수당 등에 관한 규정」(국가공무원, 지방 적용 여부 U)",
    ),
)

#: Built-in unit prices: the 2025 national table (V2); earlier years need the city's file (U).
PAY_ROWS: tuple[PayRow, ...] = (
    PayRow(
        valid_from=date(2025, 1, 1),
        grades=(
            GradePay(grade="5급", unit_price=15_510),
            GradePay(grade="6급", unit_price=13_229),
            GradePay(grade="7급", unit_price=11_950),
            GradePay(grade="8급", unit_price=10_729),
            GradePay(grade="9급", unit_price=10_579),
        ),
    ),
)

#: Built-in working hours, 09:00-18:00 (V2; since when is not known, so from the start).
WORKING_DAY_ROWS: tuple[WorkingDayRow, ...] = (WorkingDayRow(valid_from=date.min),)


@dataclass(frozen=True, kw_only=True)
class Tables:
    """The tables a :class:`~.policy.Policy` uses, each checked as a
    :class:`~civicrpa.core.dated.DatedTable` when made."""

    rate_formula: tuple[RateFormulaRow, ...] = RATE_FORMULA_ROWS
    pay: tuple[PayRow, ...] = PAY_ROWS
    working_day: tuple[WorkingDayRow, ...] = WORKING_DAY_ROWS
    _formula: DatedTable[RateFormulaRow] = field(init=False, repr=False, compare=False)
    _pay: DatedTable[PayRow] = field(init=False, repr=False, compare=False)
    _hours: DatedTable[WorkingDayRow] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_formula", DatedTable(self.rate_formula, name="rate_formula"))
        object.__setattr__(self, "_pay", DatedTable(self.pay, name="pay"))
        object.__setattr__(self, "_hours", DatedTable(self.working_day, name="working_day"))

    def formula_on(self, day: date) -> RateFormulaRow:
        """The rate formula in force on ``day``."""
        return _row_on(self._formula, day)

    def pay_on(self, day: date) -> PayRow:
        """The unit prices and reference pays in force on ``day``."""
        return _row_on(self._pay, day)

    def working_day_on(self, day: date) -> WorkingDayRow:
        """The normal working hours on ``day``."""
        return _row_on(self._hours, day)


class TablesFile(RateTablesFile):
    """A city's replacement file: a section present replaces that whole table (module docs)."""

    rate_formula: DatedTable[RateFormulaRow] | None = None
    pay: DatedTable[PayRow] | None = None
    working_day: DatedTable[WorkingDayRow] | None = None


_Row = TypeVar("_Row", RateFormulaRow, PayRow, WorkingDayRow)


def _row_on(table: DatedTable[_Row], day: date) -> _Row:
    try:
        return table.row_on(day)
    except NoRowInForce as exc:
        params = {"table": table.name, "day": day.isoformat()}
        raise InputRejected("overtime.no_table_row", params, field="work_date") from exc


#: The built-in tables.
DEFAULT_TABLES = Tables()

__all__ = [
    "DEFAULT_TABLES",
    "GUIDELINE",
    "PAY_ROWS",
    "RATE_FORMULA_ROWS",
    "REGULATION",
    "SERVICE_REGULATION",
    "WORKING_DAY_ROWS",
    "GradePay",
    "GradePercent",
    "PayRow",
    "RateFormulaRow",
    "Tables",
    "TablesFile",
    "WorkingDayRow",
]
