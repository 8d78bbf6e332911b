"""Database plumbing: the declarative base, column types, engine and session factories."""

from civicrpa.db.base import Base
from civicrpa.db.engine import create_engine_for, is_sqlite, write_transaction

__all__ = ["Base", "create_engine_for", "is_sqlite", "write_transaction"]
