"""A robot killed with SIGKILL mid-item, and a robot asked to stop: nothing lost, nothing twice."""

from __future__ import annotations

import signal
from collections import Counter
from pathlib import Path

import pytest

from civicrpa.config import Settings
from civicrpa.queue import queries
from civicrpa.queue.records import NewItem, RunOutcome
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import QueueStore
from tests.support.cli import civicrpa, cli_env, start_civicrpa, wait_for
from tests.support.markers import marker_lines

ITEMS = 30
VICTIM = "item-004"


def _env(settings: Settings) -> dict[str, str]:
    return cli_env(
        {
            "CIVICRPA_DATABASE_URL": settings.resolved_database_url,
            "CIVICRPA_DATA_DIR": str(settings.data_dir),
            "CIVICRPA_KEYRING_PATH": str(settings.keyring_path),
            "CIVICRPA_PROCESS_MODULES": "tests.support.processes",
            "CIVICRPA_IDLE_POLL_SECONDS": "0.05",
            "CIVICRPA_STOP_GRACE_SECONDS": "10",
        }
    )


@pytest.mark.slow
def test_item_of_a_killed_robot_comes_back_and_finishes_once(
    store: QueueStore, settings: Settings, tmp_path: Path
) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    store.add_many(
        "probe",
        [
            NewItem(
                reference=f"item-{i:03d}",
                payload={
                    "marker_dir": str(markers),
                    "hang_first": 120.0 if f"item-{i:03d}" == VICTIM else 0.0,
                },
            )
            for i in range(ITEMS)
        ],
    )
    env = _env(settings)
    robot = start_civicrpa(
        "worker",
        "--workers",
        "1",
        "--process",
        "probe",
        "--no-schedules",
        env=env,
        cwd=tmp_path,
    )
    try:
        wait_for(
            lambda: marker_lines(markers)[f"start {VICTIM}"] == 1,
            what="the robot to reach the victim",
        )
        robot.send_signal(signal.SIGKILL)
        robot.wait(timeout=10)
    finally:
        if robot.poll() is None:
            robot.kill()
        robot.communicate()
    assert robot.returncode == -signal.SIGKILL
    victim_id = store.find("probe", VICTIM)
    assert victim_id is not None
    assert queries.get_item(store.engine, victim_id).state is ItemState.IN_PROGRESS

    # A new robot drains the queue; the victim returns once its 2-second lease has run out.
    result = civicrpa("run", "probe", "--workers", "1", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr

    counts = queries.count_by_state(store.engine, "probe")["probe"]
    assert counts == Counter({ItemState.SUCCESSFUL: ITEMS})
    victim = queries.get_item(store.engine, victim_id)
    assert victim.attempts == 2
    assert [r.outcome for r in queries.runs_of(store.engine, victim_id)] == [
        RunOutcome.LEASE_EXPIRED,
        RunOutcome.SUCCESSFUL,
    ]
    lines = marker_lines(markers)
    assert lines[f"start {VICTIM}"] == 2
    done = Counter({k: v for k, v in lines.items() if k.startswith("done ")})
    assert len(done) == ITEMS
    assert set(done.values()) == {1}


@pytest.mark.slow
def test_stopping_robot_releases_its_item_at_the_next_step(
    store: QueueStore, settings: Settings, tmp_path: Path
) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    item_id, _ = store.add(
        "probe", NewItem(reference="slow", payload={"marker_dir": str(markers), "sleep": 1.5})
    )
    robot = start_civicrpa(
        "worker",
        "--workers",
        "1",
        "--process",
        "probe",
        "--no-schedules",
        env=_env(settings),
        cwd=tmp_path,
    )
    try:
        wait_for(
            lambda: marker_lines(markers)["start slow"] == 1, what="the robot to start the item"
        )
        robot.send_signal(signal.SIGTERM)
        _out, err = robot.communicate(timeout=30)
    finally:
        if robot.poll() is None:
            robot.kill()
            robot.communicate()
    assert robot.returncode == 0, err
    assert "Traceback" not in err
    item = queries.get_item(store.engine, item_id)
    assert item.state is ItemState.NEW
    assert item.attempts == 0
    assert [r.outcome for r in queries.runs_of(store.engine, item_id)] == [RunOutcome.RELEASED]
    assert marker_lines(markers)["done slow"] == 0
