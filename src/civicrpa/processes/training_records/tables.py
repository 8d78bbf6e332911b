"""The dated yearly training-hour targets (상시학습 이수시간) by grade, which a city replaces.

Source: 「지방공무원 교육훈련법」 (renamed 「지방공무원 인재개발법」) and its 시행령: since 2008 a
yearly minimum of training hours conditions promotion for grade 2 and below (**V2**, kgnews
2007); the number of hours is set by each local government's 상시학습 운영계획 (**V2**). The
hours themselves (80 or 100 a year are quoted) are **U** for Suncheon
(``shared/domain/training-records.md`` R1): the built-in row is the worked examples' 80 hours for
5급 and below, from the start. A grade without a row has no target and gets no reminder.

A year is held to the row in force on its 1 January. A city replaces the table with a JSON or
TOML file (``CIVICRPA_TRAINING_TABLES_FILE``, :func:`~.policy.load_tables`, errors in Korean by
:mod:`civicrpa.runtime.rate_tables`)::

    [[targets]]
    valid_from = 2025-01-01
    by_grade = [{ grade = "5급", hours = 100 }, { grade = "6급", hours = 100 }]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from civicrpa.core.dated import DatedRow, DatedTable, NoRowInForce, RateTablesFile
from civicrpa.core.errors import InputRejected

#: The law and plan the target comes from (legal basis V2; hours U).
REGULATION = "「지방공무원 인재개발법」 시행령, 상시학습 운영계획"

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
_Grade = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
#: Hours: 0 or more, at most two decimals (a cyber course may count 1.5 h).
Hours = Annotated[Decimal, Field(ge=0, le=10_000, decimal_places=2)]


class GradeTarget(BaseModel):
    """The yearly hours one grade must complete."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    grade: _Grade
    hours: Hours


class TargetRow(DatedRow):
    """Yearly targets by grade for the years starting on or after ``valid_from``."""

    by_grade: tuple[GradeTarget, ...] = Field(min_length=1)
    regulation: _Text = REGULATION
    article: _Text = "연간 상시학습 이수시간(U)"

    @model_validator(mode="after")
    def _grades_once(self) -> Self:
        names = [entry.grade for entry in self.by_grade]
        if len(set(names)) != len(names):
            raise PydanticCustomError("training.tables.grade_twice", "a grade twice")
        return self

    def of(self, grade: str) -> Decimal | None:
        """The target hours of ``grade``, or None when it has none."""
        return next((entry.hours for entry in self.by_grade if entry.grade == grade), None)


#: Built-in targets: 80 hours for 5급 and below (U: the worked examples' figure).
TARGET_ROWS: tuple[TargetRow, ...] = (
    TargetRow(
        valid_from=date.min,
        by_grade=tuple(
            GradeTarget(grade=grade, hours=Decimal(80))
            for grade in ("5급", "6급", "7급", "8급", "9급")
        ),
    ),
)


@dataclass(frozen=True, kw_only=True)
class Tables:
    """The tables a :class:`~.policy.Policy` uses, checked as a
    :class:`~civicrpa.core.dated.DatedTable` when made."""

    targets: tuple[TargetRow, ...] = TARGET_ROWS
    _targets: DatedTable[TargetRow] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_targets", DatedTable(self.targets, name="targets"))

    def target(self, grade: str, year: int) -> Decimal | None:
        """The hours ``grade`` must complete in ``year``, or None (no target for that grade)."""
        try:
            return self._targets.row_on(date(year, 1, 1)).of(grade)
        except NoRowInForce as exc:
            raise InputRejected("training.no_table_row", {"year": year}, field="year") from exc


class TablesFile(RateTablesFile):
    """A city's replacement file: a section present replaces that whole table."""

    targets: DatedTable[TargetRow] | None = None


#: The built-in tables.
DEFAULT_TABLES = Tables()

__all__ = [
    "DEFAULT_TABLES",
    "REGULATION",
    "TARGET_ROWS",
    "GradeTarget",
    "Hours",
    "Tables",
    "TablesFile",
    "TargetRow",
]
