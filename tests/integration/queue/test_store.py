"""The durable queue on the real databases: idempotent adds, claim order, leases, fencing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from civicrpa.core.errors import InputRejected
from civicrpa.queue import queries
from civicrpa.queue.decisions import Decisions
from civicrpa.queue.models import work_items
from civicrpa.queue.records import NewItem, RunOutcome
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import LeaseLost, QueueStore

LEASE = timedelta(seconds=30)


class Clock:
    """A clock tests move by hand."""

    def __init__(self) -> None:
        self.now = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed(store: QueueStore, clock: Clock) -> Iterator[QueueStore]:
    """The same database, seen through a store with a hand-moved clock."""
    timed = QueueStore(store.engine, sealer=store.sealer, clock=clock)
    yield timed
    timed.close()


def _count(store: QueueStore) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(work_items)).scalar_one())


def test_adding_a_reference_twice_adds_it_once(store: QueueStore) -> None:
    first = store.add_many("q", [NewItem(reference="A-1", payload={"v": 1})])
    again = store.add_many(
        "q",
        [NewItem(reference="A-1", payload={"v": 2}), NewItem(reference=" A-2 ", payload={})],
    )
    assert len(first.added) == 1
    assert len(again.added) == 1
    assert again.existing == ["A-1"]
    assert _count(store) == 2
    assert queries.get_item(store.engine, first.added[0], sealer=store.sealer).payload == {"v": 1}
    # The same reference in another queue is another item.
    assert store.add("other", NewItem(reference="A-1", payload={}))[1] is True
    # Repeated inside one call: added once, reported once as existing.
    repeated = store.add_many("q", [NewItem(reference="B", payload={})] * 3)
    assert len(repeated.added) == 1
    assert repeated.existing == ["B", "B"]


def test_add_many_is_all_or_nothing(store: QueueStore) -> None:
    good = [NewItem(reference=f"ok-{i}", payload={"i": i}) for i in range(5)]
    bad = NewItem(reference="bad", payload={"when": object()})
    with pytest.raises(InputRejected) as caught:
        store.add_many("q", [*good, bad])
    assert caught.value.message_ko.startswith("작업 데이터가 올바르지 않습니다")
    assert _count(store) == 0
    with pytest.raises(InputRejected):
        store.add_many("q", [*good, NewItem(reference="  ", payload={})])
    assert _count(store) == 0


def test_claim_order_priority_then_deadline_then_age(timed: QueueStore, clock: Clock) -> None:
    soon = clock.now + timedelta(days=1)
    later = clock.now + timedelta(days=5)
    timed.add_many(
        "q",
        [
            NewItem(reference="old-plain", payload={}),
            NewItem(reference="late-deadline", payload={}, deadline=later),
            NewItem(reference="urgent", payload={}, priority=5),
            NewItem(reference="soon-deadline", payload={}, deadline=soon),
            NewItem(reference="new-plain", payload={}),
        ],
    )
    order = []
    while (claim := timed.claim("q", process="p", worker="w", lease=LEASE)) is not None:
        order.append(claim.reference)
    assert order == ["urgent", "soon-deadline", "late-deadline", "old-plain", "new-plain"]


def test_an_item_is_not_claimed_before_it_is_available(timed: QueueStore, clock: Clock) -> None:
    timed.add("q", NewItem(reference="x", payload={}, available_at=clock.now + timedelta(hours=1)))
    assert timed.claim("q", process="p", worker="w", lease=LEASE) is None
    clock.now += timedelta(hours=1)
    assert timed.claim("q", process="p", worker="w", lease=LEASE) is not None


def test_postponed_item_waits_until_its_time(timed: QueueStore, clock: Clock) -> None:
    item_id, _ = timed.add("q", NewItem(reference="x", payload={}))
    decisions = Decisions(timed.engine, actor="lee", clock=clock)
    with pytest.raises(InputRejected):
        decisions.postpone(item_id, until=clock.now - timedelta(minutes=1), reason="서류 대기")
    with pytest.raises(InputRejected) as caught:
        decisions.postpone(item_id, until=clock.now + timedelta(days=1), reason=" ")
    assert caught.value.message_ko == "사유를 입력해야 합니다."
    with pytest.raises(InputRejected) as caught:
        decisions.postpone(item_id, until=clock.now + timedelta(days=1), reason="가" * 1001)
    assert caught.value.message_ko == "사유는 1000자를 넘을 수 없습니다."
    decisions.postpone(item_id, until=clock.now + timedelta(days=1), reason="서류 대기")
    assert queries.get_item(timed.engine, item_id).state is ItemState.DEFERRED
    assert timed.claim("q", process="p", worker="w", lease=LEASE) is None
    clock.now += timedelta(days=1)
    claim = timed.claim("q", process="p", worker="w", lease=LEASE)
    assert claim is not None
    assert claim.item_id == item_id


def test_expired_lease_returns_the_item_then_abandons_it(timed: QueueStore, clock: Clock) -> None:
    item_id, _ = timed.add("q", NewItem(reference="x", payload={}))
    for attempt in (1, 2):
        claim = timed.claim("q", process="p", worker=f"w{attempt}", lease=LEASE)
        assert claim is not None
        assert claim.attempt == attempt
        assert timed.reap_expired("q", max_attempts=2) == []  # lease still running
        clock.now += LEASE + timedelta(seconds=1)
        assert timed.reap_expired("q", max_attempts=2) == [item_id]
    item = queries.get_item(timed.engine, item_id)
    assert item.state is ItemState.ABANDONED
    assert item.failure_code == "system.lease_expired"
    assert [r.outcome for r in queries.runs_of(timed.engine, item_id)] == [
        RunOutcome.LEASE_EXPIRED,
        RunOutcome.LEASE_EXPIRED,
    ]


def test_heartbeat_keeps_the_lease_and_a_stale_robot_cannot_finish(
    timed: QueueStore, clock: Clock
) -> None:
    item_id, _ = timed.add("q", NewItem(reference="x", payload={}))
    slow = timed.claim("q", process="p", worker="slow", lease=LEASE)
    assert slow is not None
    clock.now += LEASE - timedelta(seconds=5)
    assert timed.heartbeat(slow, LEASE) is True
    clock.now += LEASE - timedelta(seconds=5)
    assert timed.reap_expired("q", max_attempts=3) == []  # the heartbeat moved the expiry
    clock.now += LEASE
    assert timed.reap_expired("q", max_attempts=3) == [item_id]
    fresh = timed.claim("q", process="p", worker="fresh", lease=LEASE)
    assert fresh is not None
    # The frozen robot wakes up: its heartbeat and its result are refused.
    assert timed.heartbeat(slow, LEASE) is False
    with pytest.raises(LeaseLost):
        timed.complete(slow, output={"by": "slow"})
    timed.complete(fresh, output={"by": "fresh"})
    item = queries.get_item(timed.engine, item_id, sealer=timed.sealer)
    assert item.state is ItemState.SUCCESSFUL
    assert item.output == {"by": "fresh"}


def test_release_gives_the_attempt_back(store: QueueStore) -> None:
    item_id, _ = store.add("q", NewItem(reference="x", payload={}))
    claim = store.claim("q", process="p", worker="w", lease=LEASE)
    assert claim is not None
    store.release(claim)
    item = queries.get_item(store.engine, item_id)
    assert item.state is ItemState.NEW
    assert item.attempts == 0
    again = store.claim("q", process="p", worker="w", lease=LEASE)
    assert again is not None
    assert again.attempt == 1


def test_requeue_after_failure_starts_attempts_again(store: QueueStore) -> None:
    item_id, _ = store.add("q", NewItem(reference="x", payload={}))
    claim = store.claim("q", process="p", worker="w", lease=LEASE)
    assert claim is not None
    store.fail_system(claim, code="c", message="m", detail=None, retry_at=None)
    assert queries.get_item(store.engine, item_id).state is ItemState.FAILED
    Decisions(store.engine, actor="rpa.admin").requeue(item_id, reason="시스템 복구 후 재처리")
    item = queries.get_item(store.engine, item_id)
    assert item.state is ItemState.NEW
    assert item.attempts == 0
    assert item.finished_at is None


def test_payload_round_trips_korean_text(store: QueueStore) -> None:
    payload = {"성명": "홍길동", "금액": 2_000_000, "서류": ["신청서", "통장 사본"]}
    store.add("q", NewItem(reference="k", payload=payload))
    claim = store.claim("q", process="p", worker="w", lease=LEASE)
    assert claim is not None
    assert claim.payload == payload
