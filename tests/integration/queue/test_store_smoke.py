from __future__ import annotations

from datetime import timedelta

from civicrpa.queue.records import NewItem
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import QueueStore


def test_add_claim_complete(store: QueueStore) -> None:
    result = store.add_many("q", [NewItem(reference=f"r{i}", payload={"i": i}) for i in range(3)])
    assert len(result.added) == 3
    claim = store.claim("q", process="p", worker="w", lease=timedelta(seconds=30))
    assert claim is not None
    assert claim.reference == "r0"
    assert claim.payload == {"i": 0}
    store.complete(claim, output={"ok": True})
    from sqlalchemy import select

    from civicrpa.queue.models import WorkItem

    with store.engine.connect() as conn:
        state = conn.execute(select(WorkItem.state).where(WorkItem.id == claim.item_id)).scalar()
    assert state == ItemState.SUCCESSFUL
