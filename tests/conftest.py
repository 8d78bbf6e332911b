"""Shared fixtures: real databases (SQLite file, PostgreSQL service), migrated by Alembic."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from civicrpa.db import migrate
from civicrpa.db.engine import create_engine_for
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.store import QueueStore
from civicrpa.security import audit
from civicrpa.security.crypto import FieldCipher, KeyRing

#: The PostgreSQL service of this machine (trust auth); override with CIVICRPA_TEST_PG_URL.
PG_URL = os.environ.get("CIVICRPA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _admin_execute(sql: str) -> None:
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def _pg_available() -> bool:
    try:
        _admin_execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure to connect means "not available"
        return False


def require_service(name: str, available: bool) -> None:
    """Skip when a service is truly absent, but never in CI, where its absence is a failure."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not reachable, and CI must run every test")
    pytest.skip(f"{name} is not reachable")


@pytest.fixture(scope="session")
def pg_available() -> bool:
    return _pg_available()


def make_pg_database(schema: str) -> str:
    """A fresh schema in the test database; returns a URL whose search_path points at it."""
    _admin_execute(f'CREATE SCHEMA "{schema}"')
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


def drop_pg_database(schema: str) -> None:
    _admin_execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _migrated(url: str) -> str:
    engine = create_engine_for(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated once per test process, copied for each test that needs one."""
    path = tmp_path_factory.mktemp("template") / "civicrpa.db"
    _migrated(f"sqlite:///{path}")
    return path


def migrated_sqlite(template: Path, path: Path) -> str:
    """A fresh migrated SQLite database at ``path`` (a copy of the template, 600 as made)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    path.chmod(0o600)
    return f"sqlite:///{path}"


@contextmanager
def fresh_pg_schema() -> Iterator[str]:
    """A migrated, empty PostgreSQL schema, dropped afterwards; yields its URL."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        yield _migrated(make_pg_database(schema))
    finally:
        drop_pg_database(schema)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_available: bool, sqlite_template: Path
) -> Iterator[str]:
    """A migrated, empty database: an SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield migrated_sqlite(sqlite_template, tmp_path / "civicrpa.db")
        return
    require_service("PostgreSQL", pg_available)
    with fresh_pg_schema() as url:
        yield url


@pytest.fixture
def pg_url(pg_available: bool) -> Iterator[str]:
    """A migrated, empty PostgreSQL schema, for tests only a server database can run."""
    require_service("PostgreSQL", pg_available)
    with fresh_pg_schema() as url:
        yield url


@pytest.fixture
def keyring_path(tmp_path: Path) -> Path:
    """A fresh key ring file for this test (robots started by the test read the same one)."""
    path = tmp_path / "keys" / "keyring.json"
    KeyRing.generate("k1").save(path)
    return path


@pytest.fixture
def sealer(keyring_path: Path) -> PayloadSealer:
    return PayloadSealer(FieldCipher(KeyRing.load(keyring_path)))


@pytest.fixture
def engine(db_url: str, sealer: PayloadSealer) -> Iterator[Engine]:
    """The database, bound to the test's audit key, as the store binds its own."""
    engine = create_engine_for(db_url)
    yield audit.keyed(engine, sealer.audit_key)
    engine.dispose()


@pytest.fixture
def store(engine: Engine, sealer: PayloadSealer) -> Iterator[QueueStore]:
    store = QueueStore(engine, sealer=sealer)
    yield store
    store.close()


@pytest.fixture
def sqlite_store(
    tmp_path: Path, sealer: PayloadSealer, sqlite_template: Path
) -> Iterator[QueueStore]:
    """A store on a migrated SQLite file only (for tests where the database does not matter)."""
    engine = create_engine_for(migrated_sqlite(sqlite_template, tmp_path / "civicrpa.db"))
    store = QueueStore(engine, sealer=sealer)
    yield store
    store.close()
    engine.dispose()
