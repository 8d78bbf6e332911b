"""Ground-truth rows and counts on a real SQLite database, as every system's truth reads them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from fastapi import Request
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Time,
    insert,
    select,
    true,
)

from civicrpa.sandbox.common.db import SandboxDatabase
from civicrpa.sandbox.common.truth import count, plain, plain_all, query

metadata = MetaData()
shifts = Table(
    "shifts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("staff_no", String(6), nullable=False),
    Column("day", Date, nullable=False),
    Column("start", Time, nullable=True),
    Column("paid", Boolean, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("scan", LargeBinary, nullable=True),
)
ROWS = [
    {
        "staff_no": "E00001",
        "day": date(2025, 10, 31),
        "start": time(18, 0),
        "paid": True,
        "recorded_at": datetime(2025, 10, 31, 12, 5, 0),
        "scan": b"PK\x03\x04",
    },
    {
        "staff_no": "E00002",
        "day": date(2025, 11, 1),
        "start": None,
        "paid": False,
        "recorded_at": datetime(2025, 11, 1, 0, 0, 0, 1),
        "scan": None,
    },
]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[SandboxDatabase]:
    database = SandboxDatabase(tmp_path / "truth.db", metadata)
    with database.session() as session:
        session.execute(insert(shifts), ROWS)
    yield database
    database.dispose()


def _request(db: SandboxDatabase) -> Request:
    """What the truth helpers read of a request: the system's database on ``app.state``."""
    return cast(Request, SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(db=db))))


def test_a_row_is_written_column_by_column(db: SandboxDatabase) -> None:
    with db.session() as session:
        row = session.execute(select(shifts).where(shifts.c.id == 1)).one()
    assert plain(row, drop=("scan",)) == {
        "id": 1,
        "staff_no": "E00001",
        "day": "2025-10-31",
        "start": "18:00:00",
        "paid": True,
        "recorded_at": "2025-10-31T12:05:00",
    }
    with pytest.raises(TypeError):  # a file's bytes never go into ground truth
        plain(row)


def test_a_query_gives_every_row_in_order(db: SandboxDatabase) -> None:
    statement = select(shifts.c.staff_no, shifts.c.start, shifts.c.recorded_at).order_by(
        shifts.c.id.desc()
    )
    expected: list[dict[str, Any]] = [
        {"staff_no": "E00002", "start": None, "recorded_at": "2025-11-01T00:00:00.000001"},
        {"staff_no": "E00001", "start": "18:00:00", "recorded_at": "2025-10-31T12:05:00"},
    ]
    assert query(_request(db), statement) == expected
    with db.session() as session:
        assert plain_all(session.execute(statement).all(), drop=("start",)) == [
            {k: v for k, v in row.items() if k != "start"} for row in expected
        ]


def test_counts_name_their_table_whatever_the_condition(db: SandboxDatabase) -> None:
    with db.session() as session:
        assert count(session, shifts) == 2
        assert count(session, shifts, shifts.c.paid.is_(True)) == 1
        # A condition naming no table still counts the table's rows, not one.
        assert count(session, shifts, true()) == 2
        assert count(session, shifts, shifts.c.day < date(2025, 11, 1), shifts.c.paid) == 1
