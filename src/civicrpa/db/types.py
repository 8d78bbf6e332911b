"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

#: 64-bit primary keys on PostgreSQL, SQLite's rowid alias on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime; stored as ``timestamptz`` or, on SQLite, as naive UTC text.

    Naive UTC text sorts and compares correctly in SQLite, which the claim query relies on.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        return _to_sqlite_text

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        return _from_sqlite_text

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# SQLite stores datetimes as text in SQLAlchemy's format, 'YYYY-MM-DD HH:MM:SS.ffffff', which is
# what isoformat(" ", "microseconds") writes; these C-level conversions keep the queue's hot
# path cheap. Text written by SQLAlchemy's own DATETIME type reads back the same.


#: The last conversion: one robot step binds the same "now" to several statements.
_last_text: tuple[datetime | None, str | None] = (None, None)


def _to_sqlite_text(value: datetime | None) -> str | None:
    global _last_text
    last = _last_text  # one read: another thread may replace the pair, never tear it
    if value is None or value is last[0]:
        return last[1] if value is not None else None
    if value.tzinfo is not UTC:
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
    text = value.isoformat(" ", "microseconds")[:26]  # drop the "+00:00"
    _last_text = (value, text)
    return text


def _from_sqlite_text(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=UTC)
