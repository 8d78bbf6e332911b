"""A robot's browser inside the worker: one launch for many items, evidence when one fails."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from civicrpa.config import Settings
from civicrpa.queue import queries
from civicrpa.queue.records import NewItem, RunOutcome
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.runtime.browser import open_artifact
from civicrpa.runtime.registry import load_registry
from civicrpa.runtime.worker import Worker
from civicrpa.sandbox.common.accounts import SANDBOX_PASSWORD
from civicrpa.sandbox.server import RunningSystem
from civicrpa.security.credentials import CredentialStore
from tests.support.browser_processes import TYPED_RRN

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def worker_settings(
    sqlite_store: QueueStore,
    start_system: Callable[..., RunningSystem],
    robot_settings: Callable[..., Settings],
) -> Settings:
    finance = start_system("finance", seed_size=60)
    settings = robot_settings(finance=finance).model_copy(
        update={
            "database_url": str(sqlite_store.engine.url),
            "process_modules": ["tests.support.browser_processes"],
            "idle_poll_seconds": 0.05,
        }
    )
    CredentialStore(sqlite_store.engine, sqlite_store.sealer.cipher).set(
        "finance", username="robot01", secret=SANDBOX_PASSWORD, by="person:admin"
    )
    return settings


def _worker(store: QueueStore, settings: Settings) -> Worker:
    return Worker(
        store=store,
        processes=list(load_registry(settings.process_modules)),
        settings=settings,
        name="robot-1",
        artifacts=ArtifactStore(settings.artifacts_dir),
    )


def test_one_browser_serves_every_item_and_a_failure_leaves_masked_evidence(
    sqlite_store: QueueStore, worker_settings: Settings, tmp_path: Path
) -> None:
    store = sqlite_store
    ids = {
        mode: store.add(
            "browser_probe", NewItem(reference=f"probe-{mode}", payload={"mode": mode})
        )[0]
        for mode in ("ok", "broken", "business")
    }
    _worker(store, worker_settings).run(until_empty=True)

    ok = queries.get_item(store.engine, ids["ok"], sealer=store.sealer)
    assert ok.state is ItemState.SUCCESSFUL
    assert ok.output is not None
    assert ok.output["launches"] == 1
    assert "지급 등록" in str(ok.output["title"])
    assert queries.artifacts_of(store.engine, ids["ok"]) == []

    business = queries.get_item(store.engine, ids["business"], sealer=store.sealer)
    assert business.state is ItemState.BUSINESS_EXCEPTION
    assert queries.artifacts_of(store.engine, ids["business"]) == []

    broken = queries.get_item(store.engine, ids["broken"], sealer=store.sealer)
    assert broken.state is ItemState.FAILED
    (run,) = queries.runs_of(store.engine, ids["broken"])
    assert run.outcome is RunOutcome.SYSTEM_EXCEPTION
    files = {a.name: a for a in queries.artifacts_of(store.engine, ids["broken"])}
    assert set(files) == {"screenshot-finance-attempt1.png", "trace-attempt1.zip.sealed"}
    artifacts = ArtifactStore(worker_settings.artifacts_dir)

    png = artifacts.read(files["screenshot-finance-attempt1.png"].sha256)
    assert Image.open(io.BytesIO(png)).format == "PNG"
    sealed = artifacts.read(files["trace-attempt1.zip.sealed"].sha256)
    assert b"1234568" not in sealed
    assert not sealed.startswith(b"PK")  # encrypted, not a zip
    trace = open_artifact(
        store.sealer.cipher, sealed, item_id=ids["broken"], name="trace-attempt1.zip.sealed"
    )
    with zipfile.ZipFile(io.BytesIO(trace)) as archive:
        names = archive.namelist()
        assert any(name.endswith(".trace") for name in names)
        recorded = b"".join(archive.read(name) for name in names)
    assert TYPED_RRN.encode() in recorded  # the trace really holds what was typed: hence sealed
    for path in Path(worker_settings.artifacts_dir).rglob("*"):
        if path.is_file():
            assert TYPED_RRN.encode() not in path.read_bytes()
