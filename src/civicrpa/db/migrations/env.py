"""Alembic environment: the URL comes from the caller (``civicrpa db upgrade``), never a file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from civicrpa.db.migrate import include_object
from civicrpa.db.registry import metadata

config = context.config
target_metadata = metadata()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("civicrpa migrations run through civicrpa.db.migrate")
    _run(connection)


if context.is_offline_mode():
    raise RuntimeError("offline migrations are not supported; run `civicrpa db upgrade`")
run_migrations_online()
