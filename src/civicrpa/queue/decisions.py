"""People's decisions on work items: postpone, approve, reject, resolve, requeue.

A department reviewer settles what a robot could not; the RPA team sends failed items back once
a system is repaired. Every decision needs a reason and is recorded with who made it, in the same
transaction as the change of state, so no item changes hands without a trace.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from civicrpa.core.clock import utcnow
from civicrpa.core.errors import InputRejected, NotFound, StateConflict
from civicrpa.db.engine import write_transaction
from civicrpa.queue import search_keys
from civicrpa.queue.models import decisions, item_search_keys, work_items
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.states import Action, ItemState, sources, target
from civicrpa.security import audit
from civicrpa.security.audit import AuditRecord

#: Validates a payload a reviewer corrected (the process's payload model), returning it as JSON
#: data, or raises :class:`InputRejected` naming the field.
Reviser = Callable[[dict[str, Any]], dict[str, Any]]
#: Longest reason kept (a paragraph; the rest of the story belongs in the case file).
REASON_MAX = 1000


class Decisions:
    """Decisions by one person (``actor``) on the items of a queue database."""

    def __init__(
        self,
        engine: Engine,
        *,
        actor: str,
        clock: Callable[[], datetime] = utcnow,
        sealer: PayloadSealer | None = None,
    ) -> None:
        if not actor.strip():
            raise InputRejected("queue.actor_required", field="actor")
        self.engine = engine
        self.actor = actor
        self._clock = clock
        #: Opens and re-seals a payload a reviewer corrects.
        self._sealer = sealer

    def postpone(self, item_id: int, *, until: datetime, reason: str) -> None:
        """Put a waiting item off until ``until`` (never one a robot is holding)."""
        if until <= self._clock():
            raise InputRejected("queue.postpone_in_past", field="until")
        self._decide(item_id, Action.POSTPONE, reason, {"available_at": until}, not_held=True)

    def approve(
        self,
        item_id: int,
        *,
        reason: str,
        corrections: Mapping[str, Any] | None = None,
        revise: Reviser | None = None,
    ) -> None:
        """A reviewer approves: the robot processes the item again, and sees this decision.

        ``corrections`` (field name to new value) change the payload first; ``revise`` is
        given the corrected payload and returns it validated (the process's payload model),
        or raises :class:`InputRejected`. Only the corrected fields' names are recorded.
        """
        if corrections and (revise is None or self._sealer is None):
            raise ValueError("corrections need the sealer and a reviser")
        self._decide(
            item_id,
            Action.APPROVE,
            reason,
            {"available_at": self._clock()},
            corrections=dict(corrections or {}),
            revise=revise,
        )

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
        corrections: Mapping[str, Any] | None = None,
        revise: Reviser | None = None,
    ) -> None:
        reason = reason.strip()
        if not reason:
            raise InputRejected("queue.reason_required", field="reason")
        if len(reason) > REASON_MAX:
            raise InputRejected("queue.reason_too_long", {"max": REASON_MAX}, field="reason")
        allowed = sources(action) - ({ItemState.IN_PROGRESS} if not_held else set())
        now = self._clock()
        with self.engine.connect() as conn, write_transaction(conn):
            row = conn.execute(
                select(
                    work_items.c.state,
                    work_items.c.failure_code,
                    work_items.c.queue,
                    work_items.c.reference,
                    work_items.c.payload,
                ).where(work_items.c.id == item_id)
            ).first()
            if row is None:
                raise NotFound("queue.item_not_found", {"item_id": item_id})
            current = row.state
            # The code the robot asked the review for, kept with the decision that settles it.
            review_code = row.failure_code if current == ItemState.NEEDS_REVIEW.value else None
            values = dict(values)
            corrected: list[str] | None = None
            if corrections:
                if current != ItemState.NEEDS_REVIEW.value:
                    raise StateConflict(
                        "queue.invalid_transition",
                        {"source": current, "target": target(action).value, "item_id": item_id},
                    )
                assert revise is not None  # approve() checks it comes with corrections
                values["payload"], corrected = self._corrected(
                    conn, item_id, row, corrections, revise
                )
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
                        detail={
                            "from": current,
                            "to": target(action).value,
                            "reason": reason,
                            **({"corrected": corrected} if corrected else {}),
                        },
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
                    review_code=review_code,
                    corrected_fields=corrected,
                )
            )

    def _corrected(
        self,
        conn: Connection,
        item_id: int,
        row: Any,
        corrections: Mapping[str, Any],
        revise: Reviser,
    ) -> tuple[Any, list[str]]:
        """The item's payload with ``corrections``, validated and sealed; the fields changed.

        The item's search keys follow the corrected payload (a corrected account number is
        found under its new value, no longer under the old one).
        """
        assert self._sealer is not None
        payload = self._sealer.open("payload", row.queue, row.reference, row.payload) or {}
        revised = revise({**payload, **corrections})
        # Only the fields the reviewer named: the model may fill defaults the payload omitted.
        changed = sorted(k for k in corrections if payload.get(k) != revised.get(k))
        if not changed:
            raise InputRejected("queue.correction_unchanged", field="set")
        conn.execute(delete(item_search_keys).where(item_search_keys.c.item_id == item_id))
        keys = search_keys.item_keys(self._sealer.cipher, revised)
        if keys:
            conn.execute(
                insert(item_search_keys),
                [{"item_id": item_id, "kind": kind, "digest": key} for kind, key in keys],
            )
        return self._sealer.seal("payload", row.queue, row.reference, revised), changed


__all__ = ["REASON_MAX", "Decisions", "Reviser"]
