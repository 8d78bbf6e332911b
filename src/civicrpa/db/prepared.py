"""Hot-path statements: built with SQLAlchemy Core once, executed on a DBAPI cursor many times.

A robot claims and finishes thousands of items; building, cache-keying and compiling a Core
statement on every call costs ten times the database work itself. :class:`Prepared` compiles a
statement once per dialect and keeps its column type processors (UTC datetimes, JSON), so each
execution is a driver call plus a few dictionary lookups. Statements stay written in SQLAlchemy
(one source for SQLite and PostgreSQL, checked against the models); only execution skips the
machinery. :class:`HotConnection` holds one DBAPI connection per thread, with SQLite's
``BEGIN IMMEDIATE`` and a clean reconnect after a lost connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement, ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler

_Processor = Callable[[Any], Any]


class Prepared:
    """A Core statement compiled for one dialect, with its bind and result processors."""

    def __init__(
        self,
        statement: ClauseElement,
        dialect: Dialect,
        returning: Sequence[ColumnElement[Any]] = (),
    ) -> None:
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        self.sql = compiled.string
        self._positional = dialect.positional
        self._order: Sequence[str] = tuple(compiled.positiontup or ())
        self._defaults = {
            name: bind.effective_value for name, bind in compiled.binds.items() if not bind.required
        }
        self._bind: dict[str, _Processor] = {}
        for name, bind in compiled.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self._bind[name] = processor
        self.columns = tuple(str(col.key) for col in returning)
        self._result: list[_Processor | None] = [
            col.type.dialect_impl(dialect).result_processor(dialect, None) for col in returning
        ]

    def params(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        """Driver parameters for ``values`` (missing binds take the values given when built)."""
        merged = {**self._defaults, **values}
        for name, processor in self._bind.items():
            if name in merged:
                merged[name] = processor(merged[name])
        if self._positional:
            return tuple(merged[name] for name in self._order)
        return merged

    def row(self, raw: Sequence[Any] | None) -> dict[str, Any] | None:
        """A returned row as a dict of processed values."""
        if raw is None:
            return None
        return {
            name: (proc(value) if proc is not None else value)
            for name, proc, value in zip(self.columns, self._result, raw, strict=True)
        }


class HotConnection:
    """One DBAPI connection per thread for the hot path, outside the pool's per-call checkout."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sqlite = engine.dialect.name == "sqlite"
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()

    def _connection(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._engine.raw_connection()
            self._local.connection = connection
            with self._lock:
                self._all.append(connection)
        return connection

    @contextmanager
    def write(self) -> Iterator[Any]:
        """A cursor inside a write transaction, committed on success, rolled back on error."""
        connection = self._connection()
        cursor = connection.cursor()
        try:
            if self._sqlite:
                cursor.execute("BEGIN IMMEDIATE")
            yield cursor
            connection.commit()
        except BaseException as exc:
            self._recover(connection, exc)
            raise
        finally:
            cursor.close()

    def _recover(self, connection: Any, exc: BaseException) -> None:
        lost = True
        with suppress(Exception):  # a broken connection may fail to roll back: drop it
            connection.rollback()
            lost = self._engine.dialect.is_disconnect(exc, connection, None)  # type: ignore[arg-type]
        if lost:
            self._discard(connection)

    def _discard(self, connection: Any) -> None:
        self._local.connection = None
        with self._lock:
            if connection in self._all:
                self._all.remove(connection)
        with suppress(Exception):  # already broken; we only drop it
            connection.invalidate()

    def close(self) -> None:
        """Return every thread's connection to the pool."""
        with self._lock:
            connections, self._all = self._all, []
        for connection in connections:
            with suppress(Exception):  # closing at shutdown; nothing to save
                connection.close()
        self._local = threading.local()
