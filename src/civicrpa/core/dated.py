"""Dated tables: the row of a regulation's table that is in force on a given day.

Allowances and incentives are paid by tables an ordinance or a notice sets and revises: 출산장려금
by birth order, 초과근무수당 by grade, 급량비 per meal, 출장여비 per distance. A revision does not
replace the old figures; it adds a row that applies from a day on (``valid_from``), and a claim
is paid by the row in force on its own day (the birth, the overtime, the trip), so the old rows
stay. :class:`DatedTable` holds such rows, checks them once, and answers :meth:`~DatedTable.row_on`.

A row is anything with a ``valid_from`` date (:class:`Dated`); it may also have a
``valid_until`` (last day in force, inclusive) when a measure expired without a successor.
Rows are given in the order of their ``valid_from``; a table refuses:

- no rows at all (it could answer no day);
- two rows from the same day (which one applies would depend on the file's order);
- rows out of order (a city's file is read top to bottom by people, so a row out of place is
  most likely a mistyped year: ``2052-01-01`` for ``2025-01-01``);
- a ``valid_until`` before its ``valid_from``, or one reaching into the next row's days.

A day before the first row, or in a gap after a ``valid_until``, raises :class:`NoRowInForce`,
an :class:`~civicrpa.core.errors.InputRejected` (the claim goes to a person with the day named,
never retried); a process usually catches it and raises its own code.

Rows a city may replace are pydantic models deriving from :class:`DatedRow`, and a table of them
is a pydantic field type (``incentive: DatedTable[IncentiveRow]``): the checks above then run
when a file is validated and name the row (:mod:`civicrpa.runtime.rate_tables` reads the file
and words the errors in Korean). A new process declares its table like this::

    class MealRate(DatedRow):
        #: 「공무원 급량비 지급 기준」 (notice and article cited here, with V/U marks).
        per_meal: WonAmount
        regulation: str = "..."

    class MealTables(RateTablesFile):
        meal: DatedTable[MealRate] | None = None   # absent: the built-in rows

    rate = tables.meal.row_on(day_worked).per_meal
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Annotated, Any, Generic, Protocol, TypeVar, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from civicrpa.core.errors import InputRejected


class Dated(Protocol):
    """A row of a dated table: in force from ``valid_from`` on."""

    @property
    def valid_from(self) -> date: ...


RowT = TypeVar("RowT", bound=Dated)


class NoRowInForce(InputRejected):
    """No row of a dated table is in force on the day asked (before the first row, or a gap)."""

    default_code = "tables.no_row_in_force"


class DatedTableError(ValueError):
    """The rows of a dated table contradict each other. Names the row (0-based) and field;
    ``row`` is None for the table as a whole (no rows at all).

    ``problem`` is a ``tables.problem.*`` catalogue code, filled with ``params``.
    """

    def __init__(
        self,
        problem: str,
        *,
        row: int | None,
        field: str,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{problem} (row {row}, {field})")
        self.problem = problem
        self.row = row
        self.field = field
        self.params = dict(params or {})


def _valid_until(row: Dated) -> date | None:
    until = getattr(row, "valid_until", None)
    return until if isinstance(until, date) else None


class DatedTable(Generic[RowT]):
    """Rows ordered by ``valid_from``, checked when made; :meth:`row_on` picks the one in force.

    Immutable. ``name`` says which table it is in errors and logs (a file's section name).
    """

    __slots__ = ("_name", "_rows", "_starts")

    def __init__(self, rows: Sequence[RowT], *, name: str = "table") -> None:
        self._rows: tuple[RowT, ...] = tuple(rows)
        self._name = name
        _check(self._rows)
        self._starts = tuple(row.valid_from for row in self._rows)

    @property
    def name(self) -> str:
        """The table's name (a file's section: ``incentive``)."""
        return self._name

    @property
    def rows(self) -> tuple[RowT, ...]:
        """The rows, earliest first."""
        return self._rows

    @property
    def first_day(self) -> date:
        """The first day any row is in force."""
        return self._starts[0]

    def row_on(self, day: date) -> RowT:
        """The row in force on ``day``: the latest that had begun by then and has not ended.

        Raises :class:`NoRowInForce` (``tables.no_row_in_force``, with ``table``, ``day`` and
        ``first``) when there is none.
        """
        index = bisect.bisect_right(self._starts, day) - 1
        if index >= 0:
            row = self._rows[index]
            until = _valid_until(row)
            if until is None or day <= until:
                return row
        raise NoRowInForce(
            params={
                "table": self._name,
                "day": day.isoformat(),
                "first": _iso(self.first_day),
            },
            field="day",
        )

    def __iter__(self) -> Iterator[RowT]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DatedTable):
            return NotImplemented
        return bool(self._rows == other._rows)

    def __hash__(self) -> int:
        return hash(self._rows)

    def __repr__(self) -> str:
        return f"DatedTable({self._name!r}, {len(self._rows)} rows from {_iso(self.first_day)})"

    # -- pydantic: a field ``DatedTable[Row]`` validates a list of rows -------------------------

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        args = get_args(source)
        row_type: Any = args[0] if args else Any
        rows_schema = handler.generate_schema(list[row_type])

        def build(rows: list[Any], info: core_schema.ValidationInfo) -> DatedTable[Any]:
            try:
                return DatedTable(rows, name=info.field_name or "table")
            except DatedTableError as exc:
                # The loader reads "row" and "field" back to name the place.
                context: dict[str, Any] = dict(exc.params)
                if exc.row is not None:
                    context |= {"row": exc.row, "field": exc.field}
                raise PydanticCustomError(exc.problem, str(exc), context) from None

        def rows_of(value: Any) -> Any:
            # A table given as it is is checked again like a list of its rows (one error path).
            return list(value.rows) if isinstance(value, DatedTable) else value

        return core_schema.no_info_before_validator_function(
            rows_of,
            core_schema.with_info_after_validator_function(build, rows_schema),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda table: list(table.rows),
                return_schema=core_schema.list_schema(handler.generate_schema(row_type)),
            ),
        )


def _check(rows: tuple[Dated, ...]) -> None:
    if not rows:
        raise DatedTableError("tables.problem.no_rows", row=None, field="")
    previous: Dated | None = None
    for index, row in enumerate(rows):
        start = row.valid_from
        until = _valid_until(row)
        if until is not None and until < start:
            raise DatedTableError(
                "tables.problem.ends_before_start", row=index, field="valid_until"
            )
        if previous is not None:
            before = previous.valid_from
            if start == before:
                params = {"day": _iso(start)}
                raise DatedTableError(
                    "tables.problem.duplicate_date", row=index, field="valid_from", params=params
                )
            if start < before:
                params = {"previous": _iso(before)}
                raise DatedTableError(
                    "tables.problem.unsorted", row=index, field="valid_from", params=params
                )
            previous_until = _valid_until(previous)
            if previous_until is not None and previous_until >= start:
                params = {"until": _iso(previous_until)}
                raise DatedTableError(
                    "tables.problem.overlap", row=index, field="valid_from", params=params
                )
        previous = row


def _iso(day: date) -> str:
    return "처음" if day == date.min else day.isoformat()


def _table_date(value: object) -> object:
    """Dates as a file writes them: TOML dates, or ISO text; no datetimes, no numbers."""
    if isinstance(value, datetime | bool | int | float):
        raise PydanticCustomError("date_type", "Input should be a valid date")
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date_parsing", "Input should be a valid date") from None
    return value


#: A day in a table file: a TOML date or ``"2025-01-01"``; datetimes and numbers are refused.
TableDate = Annotated[date, BeforeValidator(_table_date)]


class DatedRow(BaseModel):
    """Base of a replaceable table's rows: immutable, unknown keys refused, dated.

    Subclasses add the figures (:data:`~civicrpa.core.money.WonAmount` for won) and should cite
    the regulation each row comes from (a ``regulation`` and ``article`` field with defaults).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: First day the row is in force (a claim's own day: the birth, the work, the trip).
    valid_from: TableDate
    #: Last day in force, when the measure ended without a successor row; None: open-ended.
    valid_until: TableDate | None = None


class RateTablesFile(BaseModel):
    """Base of a file of replaceable tables: one optional ``DatedTable[Row]`` field per table."""

    model_config = ConfigDict(frozen=True, extra="forbid")


__all__ = [
    "Dated",
    "DatedRow",
    "DatedTable",
    "DatedTableError",
    "NoRowInForce",
    "RateTablesFile",
    "RowT",
    "TableDate",
]
