"""A robot whose database connection is killed under it reconnects and finishes the queue."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest

from civicrpa.config import load_settings
from civicrpa.db.engine import create_engine_for
from civicrpa.queue import queries
from civicrpa.queue.records import NewItem, RunOutcome
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.runtime.registry import load_registry
from civicrpa.runtime.worker import Worker
from tests.support.cli import wait_for
from tests.support.paying import PAYER, paid, terminate_backends

ITEMS = 40


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
        assert terminate_backends("robot-under-test") >= 1
        thread.join(timeout=60)
        assert not thread.is_alive()
    finally:
        robot_store.close()
        robot_engine.dispose()
    assert worker.stats.database_errors >= 1
    counts = queries.count_by_state(engine, "probe")["probe"]
    engine.dispose()
    assert counts == Counter({ItemState.SUCCESSFUL: ITEMS})


@pytest.mark.postgres
def test_a_finished_attempt_is_written_on_a_new_connection_when_the_old_one_drops(
    pg_url: str, tmp_path: Path, sealer: PayloadSealer
) -> None:
    # The handler finishes, then the database drops the robot's connections before the final
    # write. Before the write was retried, the attempt was thrown away: the item waited out its
    # lease (in progress) and then used a second attempt.
    settings = load_settings(database_url=pg_url, data_dir=tmp_path / "var")
    ledger = tmp_path / "ledger.txt"
    engine = create_engine_for(pg_url)
    item_id, _ = QueueStore(engine, sealer=sealer).add(
        PAYER.queue,
        NewItem(
            reference="pay-1",
            payload={"ledger": str(ledger), "drop_connections_of": "robot-final-write"},
        ),
    )
    robot_engine = create_engine_for(f"{pg_url}&application_name=robot-final-write")
    robot_store = QueueStore(robot_engine, sealer=sealer)
    worker = Worker(
        store=robot_store,
        processes=[PAYER],
        settings=settings,
        name="robot-final-write",
        artifacts=ArtifactStore(tmp_path / "artifacts"),
    )
    try:
        claim = robot_store.claim(
            PAYER.queue, process=PAYER.name, worker=worker.name, lease=PAYER.lease
        )
        assert claim is not None
        outcome = worker.handle(PAYER, claim)
    finally:
        robot_store.close()
        robot_engine.dispose()
    item = queries.get_item(engine, item_id, sealer=sealer)
    runs = queries.runs_of(engine, item_id)
    engine.dispose()
    assert worker.stats.database_errors >= 1  # the first write did meet the dead connection
    assert outcome is RunOutcome.SUCCESSFUL
    assert item.state is ItemState.SUCCESSFUL
    assert item.attempts == 1
    assert item.output == {"amount": 1000, "paid_now": True}
    assert len(runs) == 1
    assert paid(ledger, "pay-1") == 1
