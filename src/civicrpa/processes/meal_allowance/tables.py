"""The dated cap of 급량비 (특근매식비) per person and meal, which a city can replace.

Source: 「지방자치단체 회계관리에 관한 훈령」 Art. 13 and 별표 2 (지방자치단체 세출예산 집행기준),
2-1 사무관리비, item 5 급량비 (``shared/domain/meal-allowance.md`` R1):

- up to **8,000 won** a meal in the 2023 text: **V2** (wonderer.tistory.com, citing the
  집행기준); since when is not known, so the row stands for every earlier day;
- up to **9,000 won** from the amendment in force **2024-06-01**: **V2** (zero4you.com, 2025);
- some local governments moved to 10,000 won in 2025: **U**, not built in (a city that did adds
  its row by file).

A meal is priced by the row in force on the day it was eaten. A city replaces the table with a
JSON or TOML file (``CIVICRPA_MEAL_TABLES_FILE``, :func:`~.policy.load_tables`, errors in Korean
by :mod:`civicrpa.runtime.rate_tables`)::

    [[meal_cap]]
    valid_from = 2024-06-01
    per_meal = 9000

    [[meal_cap]]
    valid_from = 2025-07-01
    per_meal = 10000
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated

from pydantic import StringConstraints

from civicrpa.core.dated import DatedRow, DatedTable, NoRowInForce, RateTablesFile
from civicrpa.core.errors import InputRejected
from civicrpa.core.money import WonAmount

#: The instruction the cap comes from (V2).
REGULATION = "「지방자치단체 회계관리에 관한 훈령」"
#: Where in it (V2).
ARTICLE = "제13조 별표 2 지방자치단체 세출예산 집행기준 2-1 사무관리비 5. 급량비"

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class MealCapRow(DatedRow):
    """The most the budget pays for one person's meal, for meals on or after ``valid_from``."""

    #: 1인 1식당 상한, in won.
    per_meal: WonAmount
    regulation: _Text = REGULATION
    article: _Text = ARTICLE


#: Built-in caps (V2 both; the first row's start is U).
MEAL_CAP_ROWS: tuple[MealCapRow, ...] = (
    MealCapRow(valid_from=date.min, per_meal=8_000),
    MealCapRow(valid_from=date(2024, 6, 1), per_meal=9_000),
)


@dataclass(frozen=True, kw_only=True)
class Tables:
    """The tables a :class:`~.policy.Policy` uses, checked as a
    :class:`~civicrpa.core.dated.DatedTable` when made."""

    meal_cap: tuple[MealCapRow, ...] = MEAL_CAP_ROWS
    _meal_cap: DatedTable[MealCapRow] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_meal_cap", DatedTable(self.meal_cap, name="meal_cap"))

    def cap_on(self, day: date) -> MealCapRow:
        """The cap in force on ``day``; :class:`InputRejected` (``meal.no_table_row``) if none."""
        try:
            return self._meal_cap.row_on(day)
        except NoRowInForce as exc:
            raise InputRejected("meal.no_table_row", {"day": day.isoformat()}, field="day") from exc


class TablesFile(RateTablesFile):
    """A city's replacement file: a section present replaces that whole table."""

    meal_cap: DatedTable[MealCapRow] | None = None


#: The built-in tables.
DEFAULT_TABLES = Tables()

__all__ = [
    "ARTICLE",
    "DEFAULT_TABLES",
    "MEAL_CAP_ROWS",
    "REGULATION",
    "MealCapRow",
    "Tables",
    "TablesFile",
]
