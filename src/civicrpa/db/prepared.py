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
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
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
        order: tuple[str, ...] = tuple(compiled.positiontup or compiled.binds)
        #: Binds whose value was fixed when the statement was built, already processed.
        static: dict[str, Any] = {}
        #: Processors (UTC text, JSON ...) of the binds the caller supplies.
        processors: dict[str, _Processor | None] = {}
        for name in dict.fromkeys(order):
            bind = compiled.binds[name]
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.required:
                processors[name] = processor
            else:
                value = bind.effective_value
                static[name] = processor(value) if processor is not None else value
        self.binds = frozenset(processors)
        self._params: Callable[[Mapping[str, Any]], Sequence[Any] | dict[str, Any]]
        self._params = _params_function(order, static, processors, dialect.positional)
        self.columns = tuple(str(col.key) for col in returning)
        self._result: list[_Processor | None] = [
            col.type.dialect_impl(dialect).result_processor(dialect, None) for col in returning
        ]

    def params(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        """Driver parameters for ``values`` (a KeyError names a bind the caller forgot)."""
        return self._params(values)

    def row(self, raw: Sequence[Any] | None) -> dict[str, Any] | None:
        """A returned row as a dict of processed values."""
        if raw is None:
            return None
        return {
            name: (proc(value) if proc is not None else value)
            for name, proc, value in zip(self.columns, self._result, raw, strict=True)
        }


def _params_function(
    order: Sequence[str],
    static: Mapping[str, Any],
    processors: Mapping[str, _Processor | None],
    positional: bool,
) -> Callable[[Mapping[str, Any]], Sequence[Any] | dict[str, Any]]:
    """Generate ``lambda v: (...)`` that builds the driver parameters in one expression.

    Generated once per statement, as dataclasses and SQLAlchemy generate their hot functions:
    no dictionary copy and no loop per execution. Names enter the source only through
    ``repr``, so the generated text is fixed by the statement, never by data.
    """
    namespace: dict[str, Any] = {}
    expressions: dict[str, str] = {}
    for index, name in enumerate(dict.fromkeys(order)):
        if name in static:
            namespace[f"s{index}"] = static[name]
            expressions[name] = f"s{index}"
        elif processors[name] is None:
            expressions[name] = f"v[{name!r}]"
        else:
            namespace[f"p{index}"] = processors[name]
            expressions[name] = f"p{index}(v[{name!r}])"
    if positional:
        source = "lambda v: (" + "".join(f"{expressions[n]}, " for n in order) + ")"
    else:
        source = "lambda v: {" + ", ".join(f"{n!r}: {e}" for n, e in expressions.items()) + "}"
    function: Callable[[Mapping[str, Any]], Sequence[Any] | dict[str, Any]]
    function = eval(source, namespace)  # noqa: S307
    return function


class _WriteTransaction:
    """``with hot.write() as cursor``; a class rather than a generator: it runs per item.

    Driver errors leave as SQLAlchemy's ``DBAPIError`` (parameters hidden: they may hold
    personal data), so callers handle one family whichever path a statement took.
    """

    __slots__ = ("_cursor", "_driver", "_fairy", "_hot")

    def __init__(self, hot: HotConnection, fairy: Any) -> None:
        self._hot = hot
        self._fairy = fairy
        self._driver = fairy.driver_connection
        self._cursor: Any = None

    def __enter__(self) -> Any:
        try:
            self._cursor = self._driver.cursor()
            if self._hot.sqlite:
                self._cursor.execute("BEGIN IMMEDIATE")
        except BaseException as exc:
            self._close_cursor()
            self._recover(exc)
            raise
        return self._cursor

    def __exit__(self, exc_type: object, exc: BaseException | None, _tb: object) -> None:
        try:
            if exc is None:
                try:
                    self._driver.commit()
                except BaseException as commit_error:
                    self._recover(commit_error)
                    raise
            else:
                self._recover(exc)  # the exception itself propagates (or is translated)
        finally:
            self._close_cursor()

    def _close_cursor(self) -> None:
        if self._cursor is not None:
            with suppress(Exception):
                self._cursor.close()

    def _recover(self, exc: BaseException) -> None:
        """Roll back; a driver error then leaves translated into SQLAlchemy's."""
        self._hot.recover(self._fairy, exc)
        if isinstance(exc, self._hot.driver_error):
            raise self._hot.translate(exc) from exc


class HotConnection:
    """One DBAPI connection per thread for the hot path, outside the pool's per-call checkout."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        #: The driver's base exception (``sqlite3.Error``, ``psycopg.Error``).
        self.driver_error: type[Exception] = engine.dialect.loaded_dbapi.Error
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

    def write(self) -> _WriteTransaction:
        """A cursor inside a write transaction, committed on success, rolled back on error."""
        return _WriteTransaction(self, self._connection())

    def translate(self, exc: Exception) -> DBAPIError:
        """The driver error as SQLAlchemy's, without the statement's parameters."""
        error = DBAPIError.instance(
            None, None, exc, self.driver_error, hide_parameters=True, dialect=self._engine.dialect
        )
        assert isinstance(error, DBAPIError)
        return error

    def recover(self, connection: Any, exc: BaseException) -> None:
        """Roll back after ``exc``; drop the connection if the database says it is gone."""
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
