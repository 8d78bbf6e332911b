"""Destruction (파기) of personal data whose retention period has ended.

PIPA Art. 21 requires personal data to be destroyed once its purpose is served and the retention
period set for it has passed; Enforcement Decree Art. 16 requires electronic data to be destroyed
so it cannot be recovered. For every settled item finished before the cut-off, the payload,
output and error details are erased, its search keys (the blind indexes of its resident number,
account and phone, :mod:`civicrpa.queue.search_keys`) deleted, so it is no longer found by them,
its artifacts are unlisted and their files deleted once no other item refers to them, and
``destroyed_at`` is set. The item row stays (counts, the audit
trail), and each batch is recorded in the audit trail as ``retention.destroy``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, Select, delete, func, select, update

from civicrpa.core.clock import utcnow
from civicrpa.db.engine import write_transaction
from civicrpa.queue.models import artifacts, item_search_keys, runs, work_items
from civicrpa.queue.states import SETTLED, ItemState
from civicrpa.security import audit
from civicrpa.security.audit import AuditRecord

#: Settled states whose data may be destroyed (a review still open keeps its data).
DESTROYABLE = frozenset(SETTLED - {ItemState.NEEDS_REVIEW})


@dataclass(frozen=True, kw_only=True)
class Destruction:
    """What one run destroyed."""

    items: int
    artifact_files: int


def _candidates(queue: str, before: datetime) -> Select[tuple[int]]:
    return (
        select(work_items.c.id)
        .where(
            work_items.c.queue == queue,
            work_items.c.state.in_([state.value for state in DESTROYABLE]),
            work_items.c.finished_at < before,
            work_items.c.destroyed_at.is_(None),
        )
        .order_by(work_items.c.id)
    )


def destroy_expired(
    engine: Engine,
    queue: str,
    *,
    before: datetime,
    actor: str,
    delete_file: Callable[[str], bool] | None = None,
    batch: int = 500,
) -> Destruction:
    """Destroy the personal data of ``queue``'s items settled before ``before``.

    ``delete_file(sha256)`` removes an artifact's file once no item refers to it any more
    (the artifact store does this; it returns whether a file was there).
    """
    items = files = 0
    while True:
        now = utcnow()
        with engine.connect() as conn, write_transaction(conn):
            ids = list(conn.execute(_candidates(queue, before).limit(batch)).scalars())
            if not ids:
                break
            hashes = set(
                conn.execute(
                    select(artifacts.c.sha256).where(artifacts.c.item_id.in_(ids))
                ).scalars()
            )
            conn.execute(delete(artifacts).where(artifacts.c.item_id.in_(ids)))
            conn.execute(delete(item_search_keys).where(item_search_keys.c.item_id.in_(ids)))
            conn.execute(
                update(work_items)
                .where(work_items.c.id.in_(ids))
                .values(payload={}, output=None, failure_message=None, destroyed_at=now)
            )
            conn.execute(
                update(runs).where(runs.c.item_id.in_(ids)).values(error_detail=None, steps=None)
            )
            still_used = (
                set(
                    conn.execute(
                        select(artifacts.c.sha256).where(artifacts.c.sha256.in_(hashes))
                    ).scalars()
                )
                if hashes
                else set()
            )
            orphans = hashes - still_used
            audit.append(
                conn,
                [
                    AuditRecord(
                        actor=actor,
                        action="retention.destroy",
                        target=f"queue:{queue}",
                        detail={
                            "first": ids[0],
                            "last": ids[-1],
                            "items": len(ids),
                            "files": len(orphans),
                            "before": before.isoformat(),
                        },
                    )
                ],
                at=now,
            )
        if delete_file is not None:
            files += sum(1 for digest in orphans if delete_file(digest))
        items += len(ids)
    return Destruction(items=items, artifact_files=files)


def pending_destruction(engine: Engine, queue: str, *, before: datetime) -> int:
    """How many items a destruction run would erase now."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(_candidates(queue, before).subquery())
            ).scalar_one()
        )


__all__ = ["DESTROYABLE", "Destruction", "destroy_expired", "pending_destruction"]
