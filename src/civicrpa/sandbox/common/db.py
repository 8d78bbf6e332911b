"""Each sandbox system keeps its own SQLite database: it stands in for another agency's system."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Engine, MetaData, Row, String, Table, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

#: A result row of any columns (SQLAlchemy 2.1 types a row by its columns' types).
AnyRow = Row[*tuple[Any, ...]]


def users_table(metadata: MetaData) -> Table:
    """The officials who may log in to a system (its own accounts, as each agency has)."""
    return Table(
        "users",
        metadata,
        Column("username", String(50), primary_key=True),
        Column("password_hash", String(200), nullable=False),
        Column("display_name", String(50), nullable=False),
        Column("department", String(50), nullable=False),
    )


class SandboxDatabase:
    """A system's SQLite file (WAL) with a session factory."""

    def __init__(self, path: Path, metadata: MetaData) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.engine: Engine = create_engine(
            f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 30}
        )

        @event.listens_for(self.engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on error."""
        with self._sessions.begin() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
