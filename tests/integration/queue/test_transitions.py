"""The store enforces the state machine on the real database, for every state and action."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, update

from civicrpa.core.errors import StateConflict
from civicrpa.queue import queries
from civicrpa.queue.decisions import Decisions
from civicrpa.queue.models import runs, work_items
from civicrpa.queue.records import Claim, NewItem
from civicrpa.queue.states import Action, ItemState, sources, target
from civicrpa.queue.store import LeaseLost, QueueStore

LEASE = timedelta(seconds=30)
FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


def _item_in(store: QueueStore, state: ItemState) -> Claim:
    """An item forced into ``state``, with a run and a lease token as a robot would hold."""
    item_id, _ = store.add("q", NewItem(reference=f"ref-{state.value}", payload={"n": 1}))
    now = store.now()
    with store.engine.begin() as conn:
        conn.execute(
            update(work_items)
            .where(work_items.c.id == item_id)
            .values(
                state=state.value, lease_token="t" * 32, attempts=1, lease_expires_at=now + LEASE
            )
        )
        run_id = conn.execute(
            insert(runs)
            .values(item_id=item_id, attempt=1, process="p", worker="w", started_at=now)
            .returning(runs.c.id)
        ).scalar_one()
    return Claim(
        item_id=item_id,
        queue="q",
        reference=f"ref-{state.value}",
        payload={"n": 1},
        attempt=1,
        run_id=run_id,
        worker="w",
        lease_token="t" * 32,
        lease_expires_at=now + LEASE,
    )


ROBOT: dict[Action, Callable[[QueueStore, Claim], object]] = {
    Action.COMPLETE: lambda s, c: s.complete(c, output={"ok": 1}),
    Action.BUSINESS_FAIL: lambda s, c: s.fail_business(c, code="x", message="사유"),
    Action.RETRY: lambda s, c: s.fail_system(
        c, code="x", message="m", detail=None, retry_at=s.now()
    ),
    Action.FAIL: lambda s, c: s.fail_system(c, code="x", message="m", detail=None, retry_at=None),
    Action.ASK_REVIEW: lambda s, c: s.ask_review(c, code="x", message="검토"),
    Action.RELEASE: lambda s, c: s.release(c),
}
PEOPLE: dict[Action, Callable[[Decisions, int], object]] = {
    Action.APPROVE: lambda d, i: d.approve(i, reason="확인함"),
    Action.REJECT: lambda d, i: d.reject(i, reason="요건 미충족"),
    Action.RESOLVE: lambda d, i: d.resolve(i, reason="수기 처리"),
    Action.REQUEUE: lambda d, i: d.requeue(i, reason="자료 보완"),
    Action.POSTPONE: lambda d, i: d.postpone(i, until=FUTURE, reason="서류 대기"),
}


@pytest.mark.parametrize(("action", "state"), list(itertools.product(ROBOT, ItemState)))
def test_robot_actions(store: QueueStore, action: Action, state: ItemState) -> None:
    claim = _item_in(store, state)
    if state in sources(action):
        ROBOT[action](store, claim)
        assert queries.get_item(store.engine, claim.item_id).state is target(action)
    else:
        with pytest.raises(LeaseLost):
            ROBOT[action](store, claim)
        assert queries.get_item(store.engine, claim.item_id).state is state


@pytest.mark.parametrize(("action", "state"), list(itertools.product(PEOPLE, ItemState)))
def test_people_actions(store: QueueStore, action: Action, state: ItemState) -> None:
    claim = _item_in(store, state)
    # A person never postpones an item a robot is holding.
    permitted = sources(action) - ({ItemState.IN_PROGRESS} if action is Action.POSTPONE else set())
    decisions = Decisions(store.engine, actor="kim.reviewer")
    if state in permitted:
        PEOPLE[action](decisions, claim.item_id)
        assert queries.get_item(store.engine, claim.item_id).state is target(action)
        (decision,) = queries.decisions_of(store.engine, claim.item_id)
        assert (decision.action, decision.from_state, decision.to_state) == (
            action.value,
            state.value,
            target(action).value,
        )
        assert decision.actor == "kim.reviewer"
        assert decision.reason
    else:
        with pytest.raises(StateConflict) as caught:
            PEOPLE[action](decisions, claim.item_id)
        assert "바꿀 수 없습니다" in caught.value.message_ko
        assert queries.get_item(store.engine, claim.item_id).state is state
        assert queries.decisions_of(store.engine, claim.item_id) == []


@pytest.mark.parametrize("state", list(ItemState))
def test_claim_takes_only_claimable_states(store: QueueStore, state: ItemState) -> None:
    claim = _item_in(store, state)
    taken = store.claim("q", process="p", worker="w2", lease=LEASE)
    if state in sources(Action.CLAIM):
        assert taken is not None
        assert taken.item_id == claim.item_id
    else:
        assert taken is None
