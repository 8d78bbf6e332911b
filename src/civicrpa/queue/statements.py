"""The robots' statements, written once in SQLAlchemy Core and prepared per database.

Claiming an item is one ``UPDATE ... WHERE id = (SELECT ... LIMIT 1) RETURNING``: on PostgreSQL
the inner select takes ``FOR UPDATE SKIP LOCKED``, so robots never wait for each other; SQLite
serialises claims through its single writer (``BEGIN IMMEDIATE``). Finishing an attempt updates
the item only while the robot's lease token still matches and the item is still in progress.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ClauseElement, bindparam, insert, select, text, update
from sqlalchemy.engine import Dialect

from civicrpa.db.prepared import Prepared
from civicrpa.db.types import UTCDateTime
from civicrpa.queue.models import CLAIMABLE_CONDITION, runs, work_items
from civicrpa.queue.states import Action, ItemState, sources, target

_items = work_items
#: What a claim reads back of the item it took.
CLAIM_RETURNING = (_items.c.id, _items.c.reference, _items.c.payload, _items.c.attempts)


class RobotStatements:
    """Prepared claim and finish statements for one database dialect."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        ready = (
            select(_items.c.id)
            .where(
                _items.c.queue == bindparam("queue"),
                text(CLAIMABLE_CONDITION),
                _items.c.available_at <= bindparam("now", type_=UTCDateTime),
            )
            .order_by(_items.c.priority.desc(), _items.c.deadline, _items.c.id)
            .limit(1)
        )
        if dialect.name == "postgresql":
            ready = ready.with_for_update(skip_locked=True)
        #: Takes the next due item of a queue under a new lease (binds: queue, now, worker,
        #: token, expires).
        self.claim_item = Prepared(
            update(_items)
            .where(_items.c.id == ready.scalar_subquery())
            .values(
                state=ItemState.IN_PROGRESS.value,
                attempts=_items.c.attempts + 1,
                lease_owner=bindparam("worker"),
                lease_token=bindparam("token"),
                lease_expires_at=bindparam("expires"),
                updated_at=bindparam("now"),
            )
            .returning(*CLAIM_RETURNING),
            dialect,
            CLAIM_RETURNING,
        )
        #: Opens the run record of the attempt.
        self.insert_run = Prepared(
            insert(runs)
            .values(
                item_id=bindparam("item_id"),
                attempt=bindparam("attempt"),
                process=bindparam("process"),
                worker=bindparam("worker"),
                started_at=bindparam("now"),
            )
            .returning(runs.c.id),
            dialect,
            (runs.c.id,),
        )
        #: Closes the run record with its outcome and step timings.
        self.finish_run = Prepared(
            update(runs)
            .where(runs.c.id == bindparam("run_id"))
            .values(
                ended_at=bindparam("now"),
                outcome=bindparam("outcome"),
                steps=bindparam("steps"),
                error_code=bindparam("error_code"),
                error_detail=bindparam("error_detail"),
            ),
            dialect,
        )
        self._finish: dict[Action, Prepared] = {}

    def finish_item(self, action: Action, values: Mapping[str, Any]) -> Prepared:
        """The fenced update ending an attempt with ``action``; ``values`` name its columns.

        Each action always sets the same columns, so the action alone names the statement.
        Values that are SQL expressions (``attempts - 1``) are built in; the rest are binds.
        """
        prepared = self._finish.get(action)
        if prepared is not None:
            return prepared
        assert ItemState.IN_PROGRESS in sources(action), action
        assigned = {
            name: value if isinstance(value, ClauseElement) else bindparam(name)
            for name, value in values.items()
        }
        prepared = Prepared(
            update(_items)
            .where(
                _items.c.id == bindparam("id"),
                _items.c.lease_token == bindparam("token"),
                _items.c.state == ItemState.IN_PROGRESS.value,
            )
            .values(
                state=target(action).value,
                lease_owner=None,
                lease_token=None,
                lease_expires_at=None,
                updated_at=bindparam("now"),
                **assigned,
            ),
            self._dialect,
        )
        self._finish[action] = prepared
        return prepared


__all__ = ["CLAIM_RETURNING", "RobotStatements"]
