"""The embedded runner replaces a robot process that crashes, and its item still finishes."""

from __future__ import annotations

from collections import Counter

import pytest

from civicrpa.config import Settings
from civicrpa.queue import queries
from civicrpa.queue.records import NewItem, RunOutcome
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.runner import RunRequest
from civicrpa.runtime.runners.embedded import EmbeddedRunner


@pytest.mark.slow
def test_a_crashed_robot_is_replaced_and_its_item_comes_back(
    store: QueueStore, settings: Settings
) -> None:
    store.add_many(
        "probe",
        [NewItem(reference="crasher", payload={"mode": "die"})]
        + [NewItem(reference=f"ok-{i}", payload={}) for i in range(20)],
    )
    progress: list[int] = []
    report = EmbeddedRunner(settings).run(
        RunRequest(processes=("probe",), workers=2),
        progress=lambda p: progress.append(p.done),
    )
    assert report.crashed_workers == 1
    counts = queries.count_by_state(store.engine, "probe")["probe"]
    assert counts == Counter({ItemState.SUCCESSFUL: 21})
    crasher = store.find("probe", "crasher")
    assert crasher is not None
    assert [r.outcome for r in queries.runs_of(store.engine, crasher)] == [
        RunOutcome.LEASE_EXPIRED,
        RunOutcome.SUCCESSFUL,
    ]
    assert progress
    assert progress[-1] == 21
    assert progress == sorted(progress)
