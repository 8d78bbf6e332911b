"""Dated tables: the row in force on a day, and the row orders a table refuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from civicrpa.core.dated import DatedTable, DatedTableError, NoRowInForce
from civicrpa.core.errors import InputRejected

D = date.fromisoformat


@dataclass(frozen=True, kw_only=True)
class Rate:
    """Any object with a ``valid_from`` is a row (here a dataclass, not a pydantic model)."""

    valid_from: date
    per_meal: int
    valid_until: date | None = None


# 급량비 per meal, made-up revisions: 8,000 from 2023-01-01, 9,000 from 2024-03-01, 10,000
# from 2025-01-01.
MEALS = DatedTable(
    [
        Rate(valid_from=D("2023-01-01"), per_meal=8_000),
        Rate(valid_from=D("2024-03-01"), per_meal=9_000),
        Rate(valid_from=D("2025-01-01"), per_meal=10_000),
    ],
    name="meal",
)


@pytest.mark.parametrize(
    ("day", "per_meal"),
    [
        ("2023-01-01", 8_000),  # the first day of the first row
        ("2024-02-29", 8_000),  # the day before a revision: the old row
        ("2024-03-01", 9_000),  # the revision's own day: the new row
        ("2024-12-31", 9_000),
        ("2025-01-01", 10_000),
        ("2099-12-31", 10_000),  # the last row stays in force
    ],
)
def test_row_on_takes_the_latest_row_begun_by_the_day(day: str, per_meal: int) -> None:
    assert MEALS.row_on(D(day)).per_meal == per_meal


def test_a_day_before_the_first_row_is_refused_with_the_day_named() -> None:
    with pytest.raises(NoRowInForce) as caught:
        MEALS.row_on(D("2022-12-31"))
    error = caught.value
    assert isinstance(error, InputRejected)  # to a person, never retried
    assert error.code == "tables.no_row_in_force"
    assert error.params == {"table": "meal", "day": "2022-12-31", "first": "2023-01-01"}
    assert error.message_ko == (
        "2022-12-31에 적용할 meal 기준이 없습니다(기준표 적용일: 2023-01-01부터). 기준표를 확인하십시오."
    )


def test_a_measure_that_ended_leaves_a_gap() -> None:
    # A temporary 12,000 rate for 2024 only, then nothing until 2025-07-01.
    table = DatedTable(
        [
            Rate(valid_from=D("2024-01-01"), per_meal=12_000, valid_until=D("2024-12-31")),
            Rate(valid_from=D("2025-07-01"), per_meal=9_000),
        ]
    )
    assert table.row_on(D("2024-12-31")).per_meal == 12_000  # valid_until is inclusive
    with pytest.raises(NoRowInForce):
        table.row_on(D("2025-01-01"))
    assert table.row_on(D("2025-07-01")).per_meal == 9_000


@pytest.mark.parametrize(
    ("rows", "problem", "row", "field"),
    [
        ([], "tables.problem.no_rows", None, ""),
        (
            [
                Rate(valid_from=D("2024-01-01"), per_meal=1),
                Rate(valid_from=D("2024-01-01"), per_meal=2),
            ],
            "tables.problem.duplicate_date",
            1,
            "valid_from",
        ),
        (
            # 2052 for 2025: a mistyped year shows as a row out of order.
            [
                Rate(valid_from=D("2052-01-01"), per_meal=1),
                Rate(valid_from=D("2030-01-01"), per_meal=2),
            ],
            "tables.problem.unsorted",
            1,
            "valid_from",
        ),
        (
            [Rate(valid_from=D("2024-01-01"), per_meal=1, valid_until=D("2023-12-31"))],
            "tables.problem.ends_before_start",
            0,
            "valid_until",
        ),
        (
            [
                Rate(valid_from=D("2024-01-01"), per_meal=1, valid_until=D("2024-06-30")),
                Rate(valid_from=D("2024-06-30"), per_meal=2),
            ],
            "tables.problem.overlap",
            1,
            "valid_from",
        ),
    ],
)
def test_contradicting_rows_are_refused(
    rows: list[Rate], problem: str, row: int | None, field: str
) -> None:
    with pytest.raises(DatedTableError) as caught:
        DatedTable(rows)
    assert (caught.value.problem, caught.value.row, caught.value.field) == (problem, row, field)


def test_a_table_is_a_sequence_of_its_rows() -> None:
    assert len(MEALS) == 3
    assert [row.per_meal for row in MEALS] == [8_000, 9_000, 10_000]
    assert MEALS.first_day == D("2023-01-01")
    assert DatedTable(list(MEALS.rows), name="another name") == MEALS
    assert hash(MEALS) == hash(DatedTable(MEALS.rows))
    assert repr(MEALS) == "DatedTable('meal', 3 rows from 2023-01-01)"
