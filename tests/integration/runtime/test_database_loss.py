"""A robot whose database connection is killed under it reconnects and finishes the queue."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from civicrpa.config import load_settings
from civicrpa.db.engine import create_engine_for
from civicrpa.queue import queries
from civicrpa.queue.records import NewItem
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.runtime.registry import load_registry
from civicrpa.runtime.worker import Worker
from tests.conftest import PG_URL
from tests.support.cli import wait_for

ITEMS = 40


def _terminate(application_name: str) -> int:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            return len(
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE application_name = :name"
                    ),
                    {"name": application_name},
                ).all()
            )
    finally:
        admin.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_robot_survives_its_postgresql_connections_being_killed(
    pg_url: str, tmp_path: Path, sealer: PayloadSealer
) -> None:
    settings = load_settings(
        database_url=pg_url,
        data_dir=tmp_path / "var",
        process_modules=["tests.support.processes"],
        idle_poll_seconds=0.05,
    )
    engine = create_engine_for(pg_url)
    QueueStore(engine, sealer=sealer).add_many(
        "probe", [NewItem(reference=f"r-{i}", payload={"sleep": 0.02}) for i in range(ITEMS)]
    )
    robot_engine = create_engine_for(f"{pg_url}&application_name=robot-under-test")
    robot_store = QueueStore(robot_engine, sealer=sealer)
    worker = Worker(
        store=robot_store,
        processes=list(load_registry(settings.process_modules)),
        settings=settings,
        name="robot-under-test",
        artifacts=ArtifactStore(tmp_path / "artifacts"),
    )
    thread = threading.Thread(target=worker.run, kwargs={"until_empty": True})
    thread.start()
    try:
        wait_for(lambda: worker.stats.attempts >= 5, what="the robot to get going")
        assert _terminate("robot-under-test") >= 1
        thread.join(timeout=60)
        assert not thread.is_alive()
    finally:
        robot_store.close()
        robot_engine.dispose()
    assert worker.stats.database_errors >= 1
    counts = queries.count_by_state(engine, "probe")["probe"]
    engine.dispose()
    assert counts == Counter({ItemState.SUCCESSFUL: ITEMS})
