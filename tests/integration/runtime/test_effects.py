"""An item whose money left is never failed or abandoned: the robot asks the system of record.

The ``payer`` process (``tests/support/paying.py``) pays into a ledger file and then records;
its ``effect_check`` reads the ledger, as the childbirth robot reads finance.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from civicrpa.config import Settings
from civicrpa.queue import queries
from civicrpa.queue.models import work_items
from civicrpa.queue.records import NewItem, RunOutcome
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import EFFECT_UNVERIFIED, QueueStore
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.runtime.worker import Worker
from tests.support.paying import PAYER, paid
from tests.support.processes import PROBE


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return tmp_path / "ledger.txt"


@pytest.fixture
def work(store: QueueStore, settings: Settings) -> Callable[[], None]:
    def run() -> None:
        Worker(
            store=store,
            processes=[PAYER],
            settings=settings,
            name="robot-pay",
            artifacts=ArtifactStore(settings.artifacts_dir),
        ).run(until_empty=True)

    return run


def _add(store: QueueStore, ledger: Path, **payload: object) -> int:
    item_id, _ = store.add(
        PAYER.queue, NewItem(reference="pay-1", payload={"ledger": str(ledger), **payload})
    )
    return item_id


def test_a_paid_item_whose_recording_fails_past_its_attempts_is_finished_not_failed(
    store: QueueStore, ledger: Path, work: Callable[[], None]
) -> None:
    # Recording fails on attempts 1-3 (all of max_attempts); the payment went through on the
    # first. Before the effect check the item ended failed with the money gone.
    item_id = _add(store, ledger, record_fails=3)
    work()
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.SUCCESSFUL, item.failure_code
    assert item.attempts == 4
    assert item.output == {"amount": 1000, "paid_now": False}
    assert paid(ledger, "pay-1") == 1
    runs = queries.runs_of(store.engine, item_id)
    assert [r.outcome for r in runs] == [RunOutcome.SYSTEM_EXCEPTION] * 3 + [RunOutcome.SUCCESSFUL]
    assert "check_effect" in [s.name for s in runs[2].steps]


def test_a_paid_item_that_never_records_goes_to_a_person_saying_it_was_paid(
    store: QueueStore, ledger: Path, work: Callable[[], None]
) -> None:
    item_id = _add(store, ledger, record_fails=99)
    work()
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.NEEDS_REVIEW
    assert item.attempts == 5  # 3 attempts and 2 settling attempts
    assert item.failure_code == "queue.effect_done_unrecorded"
    assert item.failure_message is not None
    assert "다시 지급하지 말고" in item.failure_message
    assert paid(ledger, "pay-1") == 1
    last = queries.runs_of(store.engine, item_id)[-1]
    assert last.outcome is RunOutcome.NEEDS_REVIEW
    assert last.error_code == "system.target_unavailable"  # the failure that led there


def test_an_item_that_never_paid_fails_as_before(
    store: QueueStore, ledger: Path, work: Callable[[], None]
) -> None:
    item_id = _add(store, ledger, pay_fails=99)
    work()
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.FAILED
    assert item.attempts == 3
    assert paid(ledger, "pay-1") == 0


def test_when_finance_cannot_be_asked_the_item_goes_to_a_person_not_to_failed(
    store: QueueStore, ledger: Path, work: Callable[[], None]
) -> None:
    item_id = _add(store, ledger, pay_fails=99, check="broken")
    work()
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.NEEDS_REVIEW
    assert item.failure_code == EFFECT_UNVERIFIED
    assert item.attempts == 5


def _expire(store: QueueStore, item_id: int) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            update(work_items)
            .where(work_items.c.id == item_id)
            .values(lease_expires_at=store.now() - timedelta(seconds=1))
        )


def _claim_and_vanish(store: QueueStore, queue: str) -> None:
    claim = store.claim(queue, process=queue, worker="robot-dead", lease=timedelta(seconds=30))
    assert claim is not None
    _expire(store, claim.item_id)


def test_a_vanished_robot_on_its_last_attempt_leaves_a_paying_item_retried_not_abandoned(
    store: QueueStore, ledger: Path
) -> None:
    item_id = _add(store, ledger)
    for _ in range(3):  # three robots die holding it: every attempt is spent
        _claim_and_vanish(store, PAYER.queue)
        assert store.reap_expired(PAYER.queue, max_attempts=3, settle_attempts=2) == [item_id]
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.RETRIED  # a robot will come and look in finance
    for _ in range(2):
        _claim_and_vanish(store, PAYER.queue)
        store.reap_expired(PAYER.queue, max_attempts=3, settle_attempts=2)
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.NEEDS_REVIEW
    assert item.failure_code == EFFECT_UNVERIFIED
    assert item.finished_at is None
    assert item.failure_message is not None
    assert "확인 전에는 수작업으로 처리하지 마십시오" in item.failure_message


def test_a_vanished_robot_on_its_last_attempt_abandons_an_item_without_effects(
    store: QueueStore,
) -> None:
    item_id, _ = store.add(PROBE.queue, NewItem(reference="p-1", payload={}))
    for _ in range(3):
        _claim_and_vanish(store, PROBE.queue)
        store.reap_expired(PROBE.queue, max_attempts=3)
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.ABANDONED
    assert item.finished_at is not None
