"""Shared fixtures: real databases (SQLite file, PostgreSQL service), migrated by Alembic.

Also how the suite is run: the source compiled once before the workers start, and tests
handed to the workers longest kind first (see ``pytest_collection_modifyitems``).
"""

from __future__ import annotations

import compileall
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
from tests.support.cli import civicrpa_ok, cli_env, copy_data_dir, register_me

REPO = Path(__file__).resolve().parents[1]

#: The order tests are handed to the workers, by where they are and whether they are slow:
#: a test that takes a minute must not be the last to start while the other workers idle.
#: Within a rank the collection order stays, so a file's tests still run together.
_START_RANKS = (
    ("slow", "tests/e2e/robots/"),  # robots in Chromium against a sandbox city: the longest
    ("slow", "tests/"),
    ("", "tests/acceptance/"),  # the CLI as subprocesses
    ("", "tests/e2e/"),
    ("", "tests/integration/"),
    ("", "tests/scaleout/"),
    ("", "tests/migration/"),
)


def _start_rank(item: pytest.Item) -> int:
    for rank, (marker, folder) in enumerate(_START_RANKS):
        if item.nodeid.startswith(folder) and (not marker or item.get_closest_marker(marker)):
            return rank
    return len(_START_RANKS)  # unit tests, many and short, fill the end


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest kinds first (``--dist load`` hands tests out in this order)."""
    items.sort(key=_start_rank)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile ``src/`` and ``tests/`` once, before the workers start.

    Every CLI subprocess, robot process and sandbox server imports civicrpa afresh; where
    ``PYTHONDONTWRITEBYTECODE`` is set (as on this machine) none of them writes the bytecode
    it compiled, so each would compile every module it imports again.
    """
    if hasattr(session.config, "workerinput"):  # an xdist worker: the controller did it
        return
    for folder in ("src", "tests"):
        compileall.compile_dir(REPO / folder, quiet=1)


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


@pytest.fixture(scope="session")
def migrated_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder after ``civicrpa db upgrade``, run once per test process; tests copy it
    (``tests.support.cli.copy_data_dir``) instead of each paying the command."""
    base = tmp_path_factory.mktemp("migrated-data")
    civicrpa_ok("db", "upgrade", env=cli_env({"CIVICRPA_DATA_DIR": str(base / "var")}), cwd=base)
    return base / "var"


@pytest.fixture(scope="session")
def registered_data_dir(tmp_path_factory: pytest.TempPathFactory, migrated_data_dir: Path) -> Path:
    """:func:`migrated_data_dir` with the test's account and a spare registered as RPA
    administrators by ``civicrpa users add`` (``tests.support.cli.register_me``)."""
    base = tmp_path_factory.mktemp("registered-data")
    copy_data_dir(migrated_data_dir, base / "var")
    register_me(cli_env({"CIVICRPA_DATA_DIR": str(base / "var")}), base)
    return base / "var"


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
