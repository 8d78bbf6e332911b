"""Engine factory: WAL SQLite for the embedded default, PostgreSQL for scale-out.

SQLite gets ``journal_mode=WAL`` (readers never block the writer), a busy timeout, and
transactions that begin with ``BEGIN IMMEDIATE`` when the caller asks for a write transaction
(:func:`write_transaction`), so that two robots claiming at once queue for the write lock instead
of failing half-way with ``SQLITE_BUSY``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

_WRITE_OPTION = "civicrpa_write"


def _json_dumps(value: Any) -> str:
    # orjson: several times faster than json for payloads, outputs and step timings.
    return orjson.dumps(value).decode()


def is_sqlite(engine: Engine | Connection) -> bool:
    """True for the embedded SQLite database."""
    return engine.dialect.name == "sqlite"


def create_engine_for(url: str, *, sqlite_synchronous: str = "NORMAL", **kwargs: Any) -> Engine:
    """An engine for ``url`` with civicrpa's connection settings applied."""
    parsed = make_url(url)
    kwargs.setdefault("json_serializer", _json_dumps)
    kwargs.setdefault("json_deserializer", orjson.loads)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(parsed, **kwargs)

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"timeout": 30}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below decide how a transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={sqlite_synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@contextmanager
def write_transaction(connection: Connection) -> Iterator[Connection]:
    """A transaction that takes SQLite's write lock at once (a plain one elsewhere)."""
    connection.execution_options(**{_WRITE_OPTION: True})
    try:
        with connection.begin():
            yield connection
    finally:
        connection.execution_options(**{_WRITE_OPTION: False})
