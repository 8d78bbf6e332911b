from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from civicrpa.config import Settings, load_settings
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.runtime.registry import load_registry
from civicrpa.runtime.worker import Worker


@pytest.fixture
def settings(db_url: str, tmp_path: Path, keyring_path: Path) -> Settings:
    return load_settings(
        database_url=db_url,
        keyring_path=keyring_path,
        data_dir=tmp_path / "var",
        process_modules=["tests.support.processes"],
        idle_poll_seconds=0.05,
        stop_grace_seconds=5,
    )


@pytest.fixture
def make_worker(store: QueueStore, settings: Settings) -> Callable[..., Worker]:
    def make(name: str = "robot-1", **kwargs: object) -> Worker:
        registry = load_registry(settings.process_modules)
        return Worker(
            store=store,
            processes=list(registry),
            settings=settings,
            name=name,
            artifacts=ArtifactStore(settings.artifacts_dir),
            **kwargs,  # type: ignore[arg-type]
        )

    return make
