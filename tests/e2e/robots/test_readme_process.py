"""The README's example process, run as written by a robot in Chromium against the sandbox."""

from __future__ import annotations

import pytest

from civicrpa.queue import queries
from civicrpa.queue.records import NewItem
from civicrpa.queue.states import ItemState
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.runtime.worker import Worker
from tests.e2e.robots.childbirth_city import City, Robot, application
from tests.support.readme import example_module

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_the_readme_process_looks_the_applicant_up_and_writes_the_memo_once(
    robot: Robot, city: City
) -> None:
    (process,) = example_module().PROCESSES
    # A clean application from the middle of the list: other tests of this city take theirs
    # from its start and its end.
    clean = [
        n
        for n, row in sorted(city.rows.items())
        if row.payload["kind"] == "출산장려금"
        and row.payload.get("applicant_rrn")
        and application(city, n)["seed_anomaly"] is None
    ]
    number = clean[len(clean) // 2]
    row = city.rows[number].payload
    payload = {k: row[k] for k in ("application_no", "applicant_name", "applicant_rrn")}
    # The same application twice (a second item, as a re-run would): the memo is written once.
    robot.store.add_many(
        process.queue,
        [
            NewItem(reference=number, payload=payload),
            NewItem(reference=f"{number}-again", payload=payload),
        ],
    )
    Worker(
        store=robot.store,
        processes=[process],
        settings=robot.settings,
        name="readme-robot",
        artifacts=ArtifactStore(robot.settings.artifacts_dir),
    ).run(until_empty=True)
    items = queries.list_items(robot.store.engine, queue=process.queue, sealer=robot.store.sealer)
    assert [i.state for i in items] == [ItemState.SUCCESSFUL] * 2, [i.failure_code for i in items]
    memos = [e["memo"] for e in application(city, number)["history"]]
    written = [m for m in memos if m.startswith("[RPA] 주민등록상 주소 확인: ")]
    assert len(written) == 1, memos
    assert items[0].output is not None
    assert items[0].output["moved_in"] in written[0]
