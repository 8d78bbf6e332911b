"""Engine factory: WAL SQLite for the embedded default, PostgreSQL for scale-out.

SQLite gets ``journal_mode=WAL`` (readers never block the writer), a busy timeout, and
transactions that begin with ``BEGIN IMMEDIATE`` when the caller asks for a write transaction
(:func:`write_transaction`), so that two robots claiming at once queue for the write lock instead
of failing half-way with ``SQLITE_BUSY``.

The SQLite file holds the whole installation's queue and audit trail, so it is created readable
by its owner only (600, in a 700 folder) before SQLite opens it: SQLite gives the ``-wal`` and
``-shm`` files it creates beside it the database file's mode. A database or side file found
readable by others (made by an older version) is narrowed to 600 when the engine is built.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import structlog
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

_WRITE_OPTION = "civicrpa_write"
#: The files of one SQLite database.
_SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


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
        _private_database_file(Path(parsed.database))
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


def _private_database_file(path: Path) -> None:
    """Create ``path`` empty and 600 (its folder 700) unless it exists; narrow it if need be."""
    for folder in reversed([p for p in path.parents if not p.exists()]):
        folder.mkdir(mode=0o700, exist_ok=True)  # each folder made here: 700, not just the last
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return
    except FileExistsError:
        pass
    for suffix in _SQLITE_SUFFIXES:
        side = Path(f"{path}{suffix}")
        try:
            info = side.stat()
            if info.st_uid == os.getuid() and info.st_mode & 0o077:
                side.chmod(0o600)
                structlog.get_logger().warning("db.file_mode_narrowed", path=str(side))
        except FileNotFoundError:
            continue


@contextmanager
def write_transaction(connection: Connection) -> Iterator[Connection]:
    """A transaction that takes SQLite's write lock at once (a plain one elsewhere)."""
    connection.execution_options(**{_WRITE_OPTION: True})
    try:
        with connection.begin():
            yield connection
    finally:
        connection.execution_options(**{_WRITE_OPTION: False})
