"""Schedules fire once per due time, in Korean business time, whoever calls ``run_due``."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, time, timedelta

import pytest
from pydantic import BaseModel

from civicrpa.config import Settings
from civicrpa.core.clock import KST
from civicrpa.core.errors import NotFound
from civicrpa.queue import queries
from civicrpa.queue.records import NewItem
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.process import Process, ProduceContext
from civicrpa.runtime.registry import ProcessRegistry
from civicrpa.runtime.scheduler import Firing, Scheduler
from civicrpa.runtime.schedules import DailyBusinessDayRule


class Nothing(BaseModel):
    pass


def _produce(ctx: ProduceContext) -> Iterator[NewItem]:
    stamp = datetime.now(KST).strftime("%H%M%S%f")
    return iter([NewItem(reference=f"batch-{stamp}-{i}", payload={}) for i in range(3)])


PROCESS = Process(
    name="morning",
    title_ko="아침 일괄 처리",
    payload=Nothing,
    handler=lambda ctx: None,
    producer=_produce,
    schedules=(("morning_batch", DailyBusinessDayRule(at=time(8, 30))),),
)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _scheduler(store: QueueStore, settings: Settings, clock: Clock) -> Scheduler:
    return Scheduler(
        store=store, registry=ProcessRegistry([PROCESS]), settings=settings, clock=clock
    )


def test_fires_on_the_next_business_day_after_chuseok_and_only_once(
    store: QueueStore, settings: Settings
) -> None:
    # Thu 2025-10-02, after 08:30: Oct 3 and Oct 6-9 are holidays, Oct 4-5 a weekend.
    clock = Clock(datetime(2025, 10, 2, 9, 0, tzinfo=KST))
    scheduler = _scheduler(store, settings, clock)
    (status,) = scheduler.status()
    assert status.next_due_at == datetime(2025, 10, 10, 8, 30, tzinfo=KST)
    assert status.description_ko == "매 영업일 08:30"
    assert scheduler.run_due() == []

    clock.now = datetime(2025, 10, 10, 8, 31, tzinfo=KST)
    (firing,) = scheduler.run_due()
    assert firing.added == 3
    assert firing.due_at == datetime(2025, 10, 10, 8, 30, tzinfo=KST)
    assert scheduler.run_due() == []
    (status,) = scheduler.status()
    assert status.next_due_at == datetime(2025, 10, 13, 8, 30, tzinfo=KST)  # Monday
    assert status.last_added == 3
    assert queries.count_by_state(store.engine, "morning")["morning"].total() == 3


def test_after_an_outage_a_schedule_fires_once_not_once_per_missed_day(
    store: QueueStore, settings: Settings
) -> None:
    clock = Clock(datetime(2025, 10, 10, 9, 0, tzinfo=KST))
    scheduler = _scheduler(store, settings, clock)
    scheduler.status()  # registered: next due Mon 10-13 08:30
    clock.now += timedelta(days=10)
    assert len(scheduler.run_due()) == 1
    assert scheduler.run_due() == []


def test_concurrent_callers_fire_a_due_schedule_once(store: QueueStore, settings: Settings) -> None:
    clock = Clock(datetime(2025, 10, 10, 9, 0, tzinfo=KST))
    _scheduler(store, settings, clock).status()
    clock.now = datetime(2025, 10, 13, 8, 30, tzinfo=KST)
    results: list[list[Firing]] = []
    barrier = threading.Barrier(4)

    def call() -> None:
        scheduler = _scheduler(store, settings, clock)
        barrier.wait()
        results.append(scheduler.run_due())

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]


def test_unknown_schedule_is_a_clear_error(store: QueueStore, settings: Settings) -> None:
    scheduler = _scheduler(store, settings, Clock(datetime(2025, 10, 10, tzinfo=KST)))
    with pytest.raises(NotFound) as caught:
        scheduler.run_due(only="evening")
    assert caught.value.message_ko == "'evening' 일정을 찾을 수 없습니다."
