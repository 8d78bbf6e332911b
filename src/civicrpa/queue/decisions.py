"""People's decisions on work items: postpone, approve, reject, resolve, requeue.

A department reviewer settles what a robot could not; the RPA team sends failed items back once
a system is repaired. Every decision needs a reason and is recorded with who made it, in the same
transaction as the change of state, so no item changes hands without a trace.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update

from civicrpa.core.clock import utcnow
from civicrpa.core.errors import InputRejected, NotFound, StateConflict
from civicrpa.db.engine import write_transaction
from civicrpa.queue.models import decisions, work_items
from civicrpa.queue.states import Action, ItemState, sources, target
from civicrpa.security import audit
from civicrpa.security.audit import AuditRecord

#: Longest reason kept (a paragraph; the rest of the story belongs in the case file).
REASON_MAX = 1000


class Decisions:
    """Decisions by one person (``actor``) on the items of a queue database."""

    def __init__(
        self, engine: Engine, *, actor: str, clock: Callable[[], datetime] = utcnow
    ) -> None:
        if not actor.strip():
            raise InputRejected("queue.actor_required", field="actor")
        self.engine = engine
        self.actor = actor
        self._clock = clock

    def postpone(self, item_id: int, *, until: datetime, reason: str) -> None:
        """Put a waiting item off until ``until`` (never one a robot is holding)."""
        if until <= self._clock():
            raise InputRejected("queue.postpone_in_past", field="until")
        self._decide(item_id, Action.POSTPONE, reason, {"available_at": until}, not_held=True)

    def approve(self, item_id: int, *, reason: str) -> None:
        """A reviewer approves: the robot processes the item again."""
        self._decide(item_id, Action.APPROVE, reason, {"available_at": self._clock()})

    def reject(self, item_id: int, *, reason: str) -> None:
        """A reviewer rejects: the item ends as a business exception with ``reason``."""
        self._decide(
            item_id,
            Action.REJECT,
            reason,
            {
                "failure_kind": "business",
                "failure_code": "review.rejected",
                "failure_message": reason.strip(),
                "finished_at": self._clock(),
            },
        )

    def resolve(self, item_id: int, *, reason: str) -> None:
        """A reviewer settled the item by hand."""
        self._decide(item_id, Action.RESOLVE, reason, {"finished_at": self._clock()})

    def requeue(self, item_id: int, *, reason: str) -> None:
        """Send a failed, abandoned or rejected item back; its attempts start again."""
        self._decide(
            item_id,
            Action.REQUEUE,
            reason,
            {"attempts": 0, "available_at": self._clock(), "finished_at": None},
        )

    def _decide(
        self,
        item_id: int,
        action: Action,
        reason: str,
        values: Mapping[str, Any],
        *,
        not_held: bool = False,
    ) -> None:
        reason = reason.strip()
        if not reason:
            raise InputRejected("queue.reason_required", field="reason")
        if len(reason) > REASON_MAX:
            raise InputRejected("queue.reason_too_long", {"max": REASON_MAX}, field="reason")
        allowed = sources(action) - ({ItemState.IN_PROGRESS} if not_held else set())
        now = self._clock()
        with self.engine.connect() as conn, write_transaction(conn):
            current = conn.execute(
                select(work_items.c.state).where(work_items.c.id == item_id)
            ).scalar_one_or_none()
            if current is None:
                raise NotFound("queue.item_not_found", {"item_id": item_id})
            result = conn.execute(
                update(work_items)
                .where(
                    work_items.c.id == item_id,
                    work_items.c.state.in_([state.value for state in allowed]),
                )
                .values(state=target(action).value, updated_at=now, **values)
            )
            if result.rowcount != 1:
                raise StateConflict(
                    "queue.invalid_transition",
                    {"source": current, "target": target(action).value, "item_id": item_id},
                )
            audit.append(
                conn,
                [
                    AuditRecord(
                        actor=f"person:{self.actor}",
                        action=f"decision.{action.value}",
                        target=f"work_item:{item_id}",
                        detail={"from": current, "to": target(action).value, "reason": reason},
                    )
                ],
                at=now,
            )
            conn.execute(
                insert(decisions).values(
                    item_id=item_id,
                    action=action.value,
                    from_state=current,
                    to_state=target(action).value,
                    actor=self.actor,
                    reason=reason,
                    decided_at=now,
                )
            )


__all__ = ["REASON_MAX", "Decisions"]
