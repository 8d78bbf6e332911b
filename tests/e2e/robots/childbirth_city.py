"""One synthetic city for every childbirth-robot test of the session, and a robot per test.

Starting the three systems on 3,000 residents and producing the items takes a while, so
``test_childbirth.py`` and ``test_childbirth_refusals.py`` share one city (the ``city`` fixture,
session scope, registered in ``conftest.py``). Each test takes its own applications from the
intake's ground truth so tests do not share work: ``test_childbirth.py`` the clean received ones
from the start of the lists (:data:`TAKEN_FROM_THE_START`), the refusal tests, which change the
registry, from the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from civicrpa.config import Settings, load_settings
from civicrpa.db import migrate
from civicrpa.db.engine import create_engine_for
from civicrpa.processes.childbirth_incentive.process import PROCESS
from civicrpa.queue import queries
from civicrpa.queue.records import ItemView, NewItem
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.runtime.process import ProduceContext
from civicrpa.runtime.registry import AnyProcess, load_registry
from civicrpa.runtime.worker import Worker
from civicrpa.sandbox.common.accounts import SANDBOX_PASSWORD
from civicrpa.sandbox.common.config import SystemConfig
from civicrpa.sandbox.resident_registry.seed import TODAY
from civicrpa.sandbox.server import RunningSystem, Sandbox, free_port
from civicrpa.security.credentials import CredentialStore
from civicrpa.security.crypto import FieldCipher, KeyRing
from tests.e2e.conftest import chromium_path
from tests.e2e.sandbox.conftest import TOKEN, truth

SYSTEMS = ("intake", "resident_registry", "finance")
SIZE = 3_000
#: How many clean (``seed_anomaly`` None) received applications of each kind
#: ``test_childbirth.py`` takes from the start of the intake's list (by id).
TAKEN_FROM_THE_START = {"childbirth_incentive": 19, "postnatal_care": 1}


@dataclass
class City:
    systems: dict[str, RunningSystem]
    rows: dict[str, NewItem]
    #: 접수번호 of the applications received when the producer ran (tests change statuses).
    received_at_start: frozenset[str]

    def applications(self, **filters: str) -> list[dict[str, Any]]:
        query = "&".join(f"{k}={v}" for k, v in filters.items())
        found = truth(self.systems["intake"], f"/applications?{query}")
        assert isinstance(found, list)
        return found

    def received(self, **filters: str) -> list[str]:
        return [a["application_no"] for a in self.applications(status="received", **filters)]


def city_settings(
    folder: Path, city_systems: dict[str, RunningSystem], *, database_url: str | None = None
) -> Settings:
    """A robot's settings for the city: its own data folder, database and key ring."""
    path = chromium_path()
    if path is None:
        pytest.skip("chromium is not installed")
    keyring = folder / "keys" / "keyring.json"
    if not keyring.exists():
        KeyRing.generate("k1").save(keyring)
    return load_settings(
        data_dir=folder / "var",
        database_url=database_url or f"sqlite:///{folder / 'civicrpa.db'}",
        keyring_path=keyring,
        chromium_path=path,
        browser_timeout_ms=8_000,
        system_urls={name: system.url for name, system in city_systems.items()},
        process_date=TODAY,
        idle_poll_seconds=0.05,
    )


def city_store(settings: Settings) -> QueueStore:
    """The queue of ``settings``, migrated, with the robots' sandbox log-ins stored."""
    engine = create_engine_for(settings.resolved_database_url)
    migrate.upgrade(engine)
    assert settings.keyring_path is not None
    store = QueueStore(
        engine, sealer=PayloadSealer(FieldCipher(KeyRing.load(settings.keyring_path)))
    )
    credentials = CredentialStore(store.engine, store.sealer.cipher)
    for system in SYSTEMS:
        credentials.set(system, username="robot01", secret=SANDBOX_PASSWORD, by="person:admin")
    return store


def release(store: QueueStore) -> None:
    """Close ``store`` and its engine: a pooled connection left to the garbage collector warns."""
    store.close()
    store.engine.dispose()


@contextmanager
def start_city(folder: Path, size: int) -> Iterator[City]:
    """Start the three systems on a new synthetic city and read the intake's export once."""
    config = SystemConfig(data_dir=folder / "sandbox", truth_token=TOKEN)
    sandbox = Sandbox(
        config, list(SYSTEMS), ports={n: free_port() for n in SYSTEMS}, seed_size=size
    ).start()
    try:
        settings = city_settings(folder / "producer", sandbox.systems)
        store = city_store(settings)
        assert PROCESS.producer is not None
        credentials = CredentialStore(store.engine, store.sealer.cipher)
        produced = PROCESS.producer(ProduceContext(settings=settings, credentials=credentials))
        rows = {item.reference: item for item in produced}
        release(store)
        city = City(systems=sandbox.systems, rows=rows, received_at_start=frozenset())
        yield replace(city, received_at_start=frozenset(city.received()))
    finally:
        sandbox.stop()


@pytest.fixture(scope="session")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[City]:
    with start_city(tmp_path_factory.mktemp("city"), SIZE) as started:
        yield started


@dataclass
class Robot:
    settings: Settings
    store: QueueStore
    city: City

    def add(self, numbers: list[str]) -> None:
        self.store.add_many(PROCESS.queue, [self.city.rows[n] for n in numbers])

    def work(self, process: AnyProcess | None = None) -> None:
        Worker(
            store=self.store,
            processes=[process or load_registry(["civicrpa.processes"]).get(PROCESS.name)],
            settings=self.settings,
            name="robot-test",
            artifacts=ArtifactStore(self.settings.artifacts_dir),
        ).run(until_empty=True)

    def item(self, reference: str) -> ItemView:
        """The item of ``reference``: a 접수번호, or ``접수번호#k`` for instalment k."""
        (found,) = [
            i
            for i in queries.list_items(self.store.engine, queue=PROCESS.queue, limit=10_000)
            if i.reference == reference
        ]
        return queries.get_item(self.store.engine, found.id, sealer=self.store.sealer)

    def process(self, numbers: list[str]) -> dict[str, ItemView]:
        self.add(numbers)
        self.work()
        return {n: self.item(n) for n in numbers}


@pytest.fixture
def robot(city: City, tmp_path: Path) -> Iterator[Robot]:
    settings = city_settings(tmp_path, city.systems)
    store = city_store(settings)
    try:
        yield Robot(settings=settings, store=store, city=city)
    finally:
        release(store)


def payments(city: City, reference: str) -> list[dict[str, Any]]:
    """Finance's payments under ``reference`` (ground truth)."""
    every = truth(city.systems["finance"], "/payments")
    assert isinstance(every, list)
    return [p for p in every if p["reference"] == reference]


def application(city: City, number: str) -> dict[str, Any]:
    """The intake's application ``number`` with its history (ground truth)."""
    found = truth(city.systems["intake"], f"/applications/{number}")
    assert isinstance(found, dict)
    return found


__all__ = [
    "SIZE",
    "SYSTEMS",
    "TAKEN_FROM_THE_START",
    "City",
    "Robot",
    "application",
    "city",
    "city_settings",
    "city_store",
    "payments",
    "release",
    "robot",
    "start_city",
]
