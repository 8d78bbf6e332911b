"""Ground truth as JSON: one way to turn a system's rows into the plain values tests compare.

Every system serves its ground truth under ``/__sandbox/truth`` (token required; robots never
call it), and tests compare it with what a robot did, across systems: a payment's reference
with an application's number, a registry date with an intake date. So every system writes its
values alike: ``None``, booleans, integers (won, counts, ids) and text as they are; dates
``YYYY-MM-DD``, times ``HH:MM:SS`` and moments ``YYYY-MM-DDTHH:MM:SS[.ffffff]`` (ISO 8601, as
the tables store them: naive UTC, or local wall-clock plans such as a trip's start). Anything
else, file contents above all, is refused: ground truth gives a file's size and digest, never
its bytes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime, time
from typing import Any

from fastapi import Request
from sqlalchemy import FromClause, Select, func, select
from sqlalchemy.orm import Session

from civicrpa.sandbox.common.db import AnyRow

#: What :func:`plain_value` gives: a JSON scalar.
Plain = None | bool | int | float | str


def plain_value(value: object) -> Plain:
    """``value`` as JSON: scalars as they are, dates and times as ISO 8601 text.

    ``TypeError`` for anything else (bytes, a Decimal): a truth endpoint must say what it means
    by such a value instead of leaving it to a default.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | time):  # datetime is a date: one branch for all
        return value.isoformat()
    raise TypeError(f"no ground-truth form for a {type(value).__name__}")


def plain(row: AnyRow, *, drop: Collection[str] = ()) -> dict[str, Plain]:
    """One row as a JSON object, by column name, without the columns named in ``drop``."""
    return {key: plain_value(value) for key, value in row._asdict().items() if key not in drop}


def plain_all(rows: Iterable[AnyRow], *, drop: Collection[str] = ()) -> list[dict[str, Plain]]:
    """Every row of ``rows`` as :func:`plain` gives it, in order."""
    return [plain(row, drop=drop) for row in rows]


def query(
    request: Request, statement: Select[Any], *, drop: Collection[str] = ()
) -> list[dict[str, Plain]]:
    """The rows ``statement`` selects from the system's database, as JSON objects."""
    with request.app.state.db.session() as session:
        return plain_all(session.execute(statement).all(), drop=drop)


def count(session: Session, table: FromClause, *where: Any) -> int:
    """How many rows of ``table`` match ``where`` (all of them without a condition).

    The FROM is always named: a bare ``SELECT count(*) WHERE <true>`` counts one row, not the
    table's.
    """
    statement = select(func.count()).select_from(table)
    if where:
        statement = statement.where(*where)
    return int(session.execute(statement).scalar_one())


__all__ = ["Plain", "count", "plain", "plain_all", "plain_value", "query"]
