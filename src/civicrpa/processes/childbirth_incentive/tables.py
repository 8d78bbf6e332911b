"""Dated amount tables of Gwangyang's 출산장려금 and 산후조리비용, which a city can replace.

Source: 「광양시 출산장려 및 양육 지원에 관한 조례」, enacted 2021, new amounts for births from
2022-01-01. Amounts are V2 (gymnews.net idxno=479074; thebigdata.co.kr 2021-07; a benefit
portal). Article numbers are U: no text of the ordinance itself was read, so every row says
"조항 미확인(U)" until the city fills in its article. Each row applies to children born on or after
its ``valid_from``; a lookup takes the latest row that had begun by the birth date (each table
is a :class:`~civicrpa.core.dated.DatedTable`: rows in date order, one per day).

Amounts change by ordinance revision, so a city corrects them without a release:
:func:`~.policy.load_tables` reads a JSON or TOML file (``CIVICRPA_CHILDBIRTH_TABLES_FILE``)
with the platform's rate-table loader (:mod:`civicrpa.runtime.rate_tables`), whose errors name
the file, table, row and field in Korean. A section present in the file replaces that whole
table; an absent one keeps the built-in rows. Rows are written in the order of their
``valid_from``; ``regulation`` and ``article`` may be given per row::

    [[incentive]]                       # one row per revision
    valid_from = 2022-01-01
    # instalment amounts (won) of the 1st, 2nd, 3rd ... child; the last list also serves
    # every later child
    by_birth_order = [[1000000, 1000000, 1000000, 1000000, 1000000], ...]

    [[postnatal]]
    valid_from = 2022-01-01
    basic = { daily_amount = 100000, max_days = 14 }
    near_poor = { daily_amount = 90000, max_days = 14 }
    general = { daily_amount = 80000, max_days = 10 }
    without_centre = 200000
    multiple_birth_percent = 20
    deadline_days = 90

The same keys in JSON: ``{"incentive": [{"valid_from": "2022-01-01", ...}], "postnatal": [...]}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from civicrpa.core.dated import DatedRow, DatedTable, NoRowInForce, RateTablesFile
from civicrpa.core.errors import InputRejected
from civicrpa.core.money import WonAmount

#: The ordinance every figure here comes from (V2).
ORDINANCE = "「광양시 출산장려 및 양육 지원에 관한 조례」"
#: Article numbers were not found in any public text (U).
ARTICLE_UNKNOWN = "조항 미확인(U)"
#: A citation in a city's file: text, not blank.
_Citation = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
#: Days and counts of a table: whole numbers, at least 1.
_Days = Annotated[int, Field(strict=True, ge=1)]
#: Percentages: whole numbers, 0 or more.
_Percent = Annotated[int, Field(strict=True, ge=0)]


class PostnatalGroup(StrEnum):
    """Support group of a mother for 산후조리비용 (V2: a benefit listing)."""

    #: 기초생활수급자·의료급여수급자 (기초(의료)수급자), or 장애의 정도가 심한 장애인.
    BASIC = "basic"
    #: 차상위계층, or 장애의 정도가 심하지 않은 장애인.
    NEAR_POOR = "near_poor"
    #: Every other mother.
    GENERAL = "general"


class IncentiveRow(DatedRow):
    """출산장려금 by birth order for children born on or after ``valid_from``."""

    #: Instalment amounts (won) of the 1st, 2nd, ... child; the last entry serves later ones too.
    by_birth_order: tuple[Annotated[tuple[WonAmount, ...], Field(min_length=1)], ...] = Field(
        min_length=1
    )
    regulation: _Citation = ORDINANCE
    article: _Citation = ARTICLE_UNKNOWN

    def instalments(self, birth_order: int) -> tuple[int, ...]:
        """Instalment amounts for a child of ``birth_order`` (1 or more)."""
        return self.by_birth_order[min(birth_order, len(self.by_birth_order)) - 1]


class PostnatalRate(BaseModel):
    """Daily amount and the days paid at most, for mothers using a postnatal-care centre."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    daily_amount: WonAmount
    max_days: _Days


class PostnatalRow(DatedRow):
    """산후조리비용 for children born on or after ``valid_from``."""

    basic: PostnatalRate
    near_poor: PostnatalRate
    general: PostnatalRate
    #: Flat amount for a mother who used no postnatal-care centre in the city.
    without_centre: WonAmount
    #: Extra for a multiple birth (다태아), in percent of the amount.
    multiple_birth_percent: _Percent
    #: Days after the birth within which the application must be made.
    deadline_days: _Days
    regulation: _Citation = ORDINANCE
    article: _Citation = ARTICLE_UNKNOWN

    def rate(self, group: PostnatalGroup) -> PostnatalRate:
        """The daily amount and day cap of ``group``."""
        rate: PostnatalRate = getattr(self, PostnatalGroup(group).value)
        return rate


def _five(amount: int) -> tuple[int, ...]:
    return (amount,) * 5


#: Built-in 출산장려금 rows. Totals V2; the split of each total is U where noted.
INCENTIVE_ROWS: tuple[IncentiveRow, ...] = (
    # Births up to 2021-12-31: 1st 5,000,000; 2nd 5,000,000; 3rd 10,000,000; 4th+ 20,000,000
    # (V2). From when these amounts applied is U, so the row stands for every earlier birth.
    # The instalment count before 2022 is U: taken as the same 5 equal yearly instalments.
    IncentiveRow(
        valid_from=date.min,
        by_birth_order=(
            _five(1_000_000),
            _five(1_000_000),
            _five(2_000_000),
            _five(4_000_000),
        ),
    ),
    # Births from 2022-01-01 (V2): 1st 5,000,000; 2nd 2,000,000 x 5; 3rd 3,000,000 x 5;
    # 4th+ 20,000,000. The yearly split of the 1st (1,000,000 x 5) and of the 4th+
    # (4,000,000 x 5) is U: equal fifths.
    IncentiveRow(
        valid_from=date(2022, 1, 1),
        by_birth_order=(
            _five(1_000_000),
            _five(2_000_000),
            _five(3_000_000),
            _five(4_000_000),
        ),
    ),
)

#: Built-in 산후조리비용 row (V2, a benefit listing, undated; its start date is U).
POSTNATAL_ROWS: tuple[PostnatalRow, ...] = (
    PostnatalRow(
        valid_from=date.min,
        basic=PostnatalRate(daily_amount=100_000, max_days=14),  # cap 1,400,000 (V2)
        near_poor=PostnatalRate(daily_amount=90_000, max_days=14),  # cap 1,260,000 (V2)
        general=PostnatalRate(daily_amount=80_000, max_days=10),  # cap 800,000 (V2)
        without_centre=200_000,  # V2
        multiple_birth_percent=20,  # V2; also added to the flat 200,000: U
        deadline_days=90,  # V2
    ),
)


@dataclass(frozen=True, kw_only=True)
class Tables:
    """The amount tables a :class:`~.policy.Policy` uses, each checked as a
    :class:`~civicrpa.core.dated.DatedTable` (sorted, no two rows of one day) when made."""

    incentive: tuple[IncentiveRow, ...] = INCENTIVE_ROWS
    postnatal: tuple[PostnatalRow, ...] = POSTNATAL_ROWS
    _incentive: DatedTable[IncentiveRow] = field(init=False, repr=False, compare=False)
    _postnatal: DatedTable[PostnatalRow] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_incentive", DatedTable(self.incentive, name="incentive"))
        object.__setattr__(self, "_postnatal", DatedTable(self.postnatal, name="postnatal"))

    def incentive_row(self, birth_date: date) -> IncentiveRow:
        """The 출산장려금 row for a child born on ``birth_date``."""
        return _row_on(self._incentive, birth_date, "childbirth.no_incentive_row")

    def postnatal_row(self, birth_date: date) -> PostnatalRow:
        """The 산후조리비용 row for a child born on ``birth_date``."""
        return _row_on(self._postnatal, birth_date, "childbirth.no_postnatal_row")


class TablesFile(RateTablesFile):
    """A city's replacement file: a section present replaces that whole table (module docs)."""

    incentive: DatedTable[IncentiveRow] | None = None
    postnatal: DatedTable[PostnatalRow] | None = None


_Row = TypeVar("_Row", IncentiveRow, PostnatalRow)


def _row_on(table: DatedTable[_Row], birth_date: date, code: str) -> _Row:
    try:
        return table.row_on(birth_date)
    except NoRowInForce as exc:
        raise InputRejected(
            code, {"birth_date": birth_date.isoformat()}, field="birth_date"
        ) from exc


#: The built-in tables.
DEFAULT_TABLES = Tables()

__all__ = [
    "ARTICLE_UNKNOWN",
    "DEFAULT_TABLES",
    "INCENTIVE_ROWS",
    "ORDINANCE",
    "POSTNATAL_ROWS",
    "IncentiveRow",
    "PostnatalGroup",
    "PostnatalRate",
    "PostnatalRow",
    "Tables",
    "TablesFile",
]
