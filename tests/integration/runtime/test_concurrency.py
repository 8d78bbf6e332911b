"""Four robot processes on one queue of 2,000 items: every item done exactly once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from civicrpa.config import Settings
from civicrpa.queue import queries
from civicrpa.queue.models import runs, work_items
from civicrpa.queue.records import NewItem, RunOutcome
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.runner import RunRequest
from civicrpa.runtime.runners.embedded import EmbeddedRunner
from tests.support.markers import marker_lines

ITEMS = 2000


@pytest.mark.slow
def test_four_robots_do_every_item_exactly_once(
    store: QueueStore, settings: Settings, tmp_path: Path
) -> None:
    marker_dir = tmp_path / "markers"
    marker_dir.mkdir()
    store.add_many(
        "probe",
        [
            NewItem(reference=f"item-{i:05d}", payload={"marker_dir": str(marker_dir)})
            for i in range(ITEMS)
        ],
    )
    report = EmbeddedRunner(settings).run(RunRequest(processes=("probe",), workers=4))

    assert report.outcomes == Counter({RunOutcome.SUCCESSFUL.value: ITEMS})
    assert report.crashed_workers == 0
    assert report.lease_lost == 0
    counts = queries.count_by_state(store.engine, "probe")["probe"]
    assert counts == Counter({ItemState.SUCCESSFUL: ITEMS})
    with store.engine.connect() as conn:
        per_item = conn.execute(select(runs.c.item_id, func.count()).group_by(runs.c.item_id)).all()
        workers = conn.execute(select(func.count(func.distinct(runs.c.worker)))).scalar_one()
        attempts = conn.execute(select(func.max(work_items.c.attempts))).scalar_one()
    assert len(per_item) == ITEMS
    assert {n for _, n in per_item} == {1}
    assert attempts == 1
    assert workers == 4  # the work was really shared
    done = marker_lines(marker_dir, "done ")
    assert len(done) == ITEMS
    assert set(done.values()) == {1}
