"""The durable work queue: add items, claim them under a lease, finish attempts, recover.

Every write is one short transaction. Each claim carries a random lease token; finishing,
heartbeats and releases require it, so a robot that lost its lease (it hung, another robot took
the item) can never overwrite the newer attempt. Every move is checked against
:data:`~civicrpa.queue.states.TRANSITIONS` inside the ``WHERE`` clause (statements in
:mod:`civicrpa.queue.statements`; people's decisions in :mod:`civicrpa.queue.decisions`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import ClauseElement, Engine, case, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from civicrpa.core.clock import utcnow
from civicrpa.core.errors import InputRejected, StateConflict
from civicrpa.core.messages import render
from civicrpa.db.engine import write_transaction
from civicrpa.db.prepared import HotConnection
from civicrpa.queue import models, search_keys
from civicrpa.queue.models import NO_DEADLINE, REFERENCE_MAX
from civicrpa.queue.records import AddResult, Claim, NewItem, RunOutcome, StepTiming
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.statements import RobotStatements
from civicrpa.queue.states import Action, ItemState, target
from civicrpa.security import audit
from civicrpa.security.audit import AuditRecord, RawAuditAppender
from civicrpa.security.crypto import DecryptionError

#: Why an item whose robot vanished went to a person instead of being abandoned.
EFFECT_UNVERIFIED = "queue.effect_unverified"
_items = models.work_items
_runs = models.runs
_search_keys = models.item_search_keys


def _steps_json(steps: Sequence[StepTiming]) -> list[dict[str, Any]]:
    return [{"name": s.name, "ms": round(s.ms, 3), "ok": s.ok} for s in steps]


def _check_reference(reference: str) -> str:
    reference = reference.strip()
    if not reference:
        raise InputRejected("queue.reference_required", field="reference")
    if len(reference) > REFERENCE_MAX:
        raise InputRejected("queue.reference_too_long", {"max": REFERENCE_MAX}, field="reference")
    return reference


def _check_json(value: Mapping[str, Any], field: str) -> dict[str, Any]:
    """``value`` as plain JSON data (a copy), or :class:`InputRejected` naming ``field``."""
    try:
        return dict(orjson.loads(orjson.dumps(dict(value))))
    except (TypeError, ValueError) as exc:
        raise InputRejected("queue.payload_invalid", {"detail": field}, field=field) from exc


class LeaseLost(StateConflict):
    """The robot's lease on the item is gone (expired and reclaimed); its result is discarded."""

    default_code = "queue.lease_lost"


class QueueStore:
    """Work items in a SQLAlchemy database (SQLite or PostgreSQL).

    Thread-safe. Claims and finishes, the robots' hot path, run prepared statements on one
    connection per thread; everything else checks a connection out of the pool per call.
    ``engine`` is bound to the sealer's audit key (:func:`civicrpa.security.audit.keyed`), so
    whatever uses ``store.engine`` records its changes in the keyed audit chain.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        sealer: PayloadSealer,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        #: The database, bound to the audit key (see the class docstring).
        self.engine = audit.keyed(engine, sealer.audit_key)
        #: Encrypts payloads and outputs at rest (:mod:`civicrpa.queue.sealing`).
        self.sealer = sealer
        self._clock = clock
        self._skip_locked = engine.dialect.name == "postgresql"
        self._hot = HotConnection(self.engine)
        self._statements = RobotStatements(engine.dialect)
        self._audit = RawAuditAppender(engine.dialect, sealer.audit_key)

    def now(self) -> datetime:
        """The store's clock (aware UTC)."""
        return self._clock()

    def close(self) -> None:
        """Give back the connections this store holds (one per thread that claimed)."""
        self._hot.close()

    # -- adding -----------------------------------------------------------------------------

    def add(self, queue: str, item: NewItem, *, actor: str = "system") -> tuple[int, bool]:
        """Add one item; returns its id and whether it was new (False: the reference existed)."""
        result = self.add_many(queue, [item], actor=actor)
        if result.added:
            return result.added[0], True
        existing = self.find(queue, item.reference.strip())
        assert existing is not None
        return existing, False

    def add_many(self, queue: str, items: Sequence[NewItem], *, actor: str = "system") -> AddResult:
        """Add items in one transaction: all new references are added, or none is.

        References already in the queue (or repeated in ``items``) are skipped and reported.
        Each added item is an ``item.add`` entry of the audit trail by ``actor``, and the personal
        values of its payload are written as its search keys (:mod:`civicrpa.queue.search_keys`).
        """
        now = self._clock()
        rows: list[dict[str, Any]] = []
        seen: set[str] = set()
        repeated: list[str] = []
        # Search keys of the items' personal values, by reference (most payloads have none).
        keyed: dict[str, list[tuple[str, str]]] = {}
        cipher = self.sealer.cipher
        for item in items:
            reference = _check_reference(item.reference)
            if reference in seen:
                repeated.append(reference)
                continue
            seen.add(reference)
            payload = _check_json(item.payload, "payload")
            if keys := search_keys.item_keys(cipher, payload):
                keyed[reference] = keys
            rows.append(
                {
                    "queue": queue,
                    "reference": reference,
                    "state": ItemState.NEW.value,
                    "priority": item.priority,
                    "deadline": item.deadline or NO_DEADLINE,
                    "available_at": item.available_at or now,
                    "payload": self.sealer.seal("payload", queue, reference, payload),
                    "attempts": 0,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        added: list[int] = []
        added_refs: set[str] = set()
        key_rows: list[dict[str, Any]] = []
        with self.engine.connect() as conn, write_transaction(conn):
            for start in range(0, len(rows), 500):
                stmt = (
                    self._insert_ignoring_duplicates()
                    .values(rows[start : start + 500])
                    .returning(_items.c.id, _items.c.reference)
                )
                for row in conn.execute(stmt):
                    added.append(row.id)
                    added_refs.add(row.reference)
                    if keyed and (own := keyed.get(row.reference)):
                        key_rows.extend(
                            {"item_id": row.id, "kind": kind, "digest": key} for kind, key in own
                        )
            if key_rows:  # one executemany; none at all when no payload holds personal values
                conn.execute(insert(_search_keys), key_rows)
            audit.append(
                conn,
                [
                    AuditRecord(
                        actor=actor,
                        action="item.add",
                        target=f"work_item:{item_id}",
                        detail={"queue": queue},
                    )
                    for item_id in added
                ],
                at=now,
            )
        existing = [r["reference"] for r in rows if r["reference"] not in added_refs] + repeated
        return AddResult(added=added, existing=existing)

    def _insert_ignoring_duplicates(self) -> Any:
        # ON CONFLICT DO NOTHING: a reference added by a concurrent producer is simply skipped.
        if self._skip_locked:
            return postgresql_insert(_items).on_conflict_do_nothing(
                index_elements=["queue", "reference"]
            )
        return sqlite_insert(_items).on_conflict_do_nothing(index_elements=["queue", "reference"])

    def find(self, queue: str, reference: str) -> int | None:
        """The id of the item with ``reference`` in ``queue``, if any."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(_items.c.id).where(_items.c.queue == queue, _items.c.reference == reference)
            ).scalar_one_or_none()

    # -- robots -----------------------------------------------------------------------------

    def claim(self, queue: str, *, process: str, worker: str, lease: timedelta) -> Claim | None:
        """Take the next due item of ``queue`` (highest priority, nearest deadline, oldest)."""
        now = self._clock()
        token = secrets.token_hex(16)
        expires = now + lease
        claim_item, insert_run = self._statements.claim_item, self._statements.insert_run
        with self._hot.write() as cursor:
            cursor.execute(
                claim_item.sql,
                claim_item.params(
                    {
                        "queue": queue,
                        "now": now,
                        "worker": worker,
                        "token": token,
                        "expires": expires,
                    }
                ),
            )
            row = claim_item.row(cursor.fetchone())
            if row is None:
                return None
            cursor.execute(
                insert_run.sql,
                insert_run.params(
                    {
                        "item_id": row["id"],
                        "attempt": row["attempts"],
                        "process": process,
                        "worker": worker,
                        "now": now,
                    }
                ),
            )
            run_id = cursor.fetchone()[0]
            self._audit.append(
                cursor,
                AuditRecord(
                    actor=f"robot:{worker}",
                    action="item.claim",
                    target=f"work_item:{row['id']}",
                    detail={"queue": queue, "attempt": row["attempts"], "run": run_id},
                ),
                now,
            )
        unreadable: Exception | None = None
        try:
            payload = self.sealer.open("payload", queue, row["reference"], row["payload"])
        except DecryptionError as exc:  # the robot records it; the item is not lost
            payload, unreadable = None, exc
        return Claim(
            item_id=row["id"],
            queue=queue,
            reference=row["reference"],
            payload=payload or {},
            attempt=row["attempts"],
            run_id=run_id,
            worker=worker,
            lease_token=token,
            lease_expires_at=expires,
            unreadable=unreadable,
        )

    def heartbeat(self, claim: Claim, lease: timedelta) -> bool:
        """Extend the lease; False when it is already lost."""
        now = self._clock()
        with self.engine.connect() as conn, write_transaction(conn):
            result = conn.execute(
                update(_items)
                .where(
                    _items.c.id == claim.item_id,
                    _items.c.lease_token == claim.lease_token,
                    _items.c.state == ItemState.IN_PROGRESS.value,
                )
                .values(lease_expires_at=now + lease)
            )
        return result.rowcount == 1

    def complete(
        self, claim: Claim, *, output: Mapping[str, Any] | None, steps: Sequence[StepTiming] = ()
    ) -> None:
        """The robot finished the item. Raises :class:`LeaseLost` when it no longer held it."""
        now = self._clock()
        self._finish(
            claim,
            Action.COMPLETE,
            {
                "output": self.sealer.seal(
                    "output",
                    claim.queue,
                    claim.reference,
                    None if output is None else _check_json(output, "output"),
                ),
                "finished_at": now,
                "failure_kind": None,
                "failure_code": None,
                "failure_message": None,
            },
            RunOutcome.SUCCESSFUL,
            steps=steps,
            now=now,
        )

    def fail_business(
        self,
        claim: Claim,
        *,
        code: str,
        message: str,
        detail: str | None = None,
        steps: Sequence[StepTiming] = (),
        kind: str = "business",
    ) -> None:
        """The item is wrong: it stops here, with the Korean ``message``, for a person.

        ``kind`` is ``business`` (something to fix: the applicant is asked to complete it) or
        ``refusal`` (the rules say no: an official confirms the refusal).
        """
        now = self._clock()
        self._finish(
            claim,
            Action.BUSINESS_FAIL,
            {
                "finished_at": now,
                "failure_kind": kind,
                "failure_code": code,
                "failure_message": message,
            },
            RunOutcome.BUSINESS_EXCEPTION,
            steps=steps,
            now=now,
            error=(code, detail),
        )

    def fail_system(
        self,
        claim: Claim,
        *,
        code: str,
        message: str,
        detail: str | None,
        retry_at: datetime | None,
        steps: Sequence[StepTiming] = (),
    ) -> ItemState:
        """Something broke: back to the queue at ``retry_at``, or ``failed`` when it is None."""
        now = self._clock()
        values: dict[str, Any] = {
            "failure_kind": "system",
            "failure_code": code,
            "failure_message": message,
        }
        if retry_at is None:
            action = Action.FAIL
            values["finished_at"] = now
        else:
            action = Action.RETRY
            values["available_at"] = retry_at
        self._finish(
            claim,
            action,
            values,
            RunOutcome.SYSTEM_EXCEPTION,
            steps=steps,
            now=now,
            error=(code, detail),
        )
        return target(action)

    def defer_claimed(
        self,
        claim: Claim,
        *,
        until: datetime,
        code: str,
        message: str,
        steps: Sequence[StepTiming] = (),
    ) -> None:
        """The robot postpones the item until ``until`` (e.g. a document is not there yet)."""
        now = self._clock()
        self._finish(
            claim,
            Action.POSTPONE,
            {
                "available_at": until,
                "failure_kind": None,
                "failure_code": code,
                "failure_message": message,
            },
            RunOutcome.DEFERRED,
            steps=steps,
            now=now,
        )

    def ask_review(
        self,
        claim: Claim,
        *,
        code: str,
        message: str,
        steps: Sequence[StepTiming] = (),
        error: tuple[str, str | None] | None = None,
    ) -> None:
        """The robot hands the decision to a person (``error``: the failure that led there)."""
        now = self._clock()
        self._finish(
            claim,
            Action.ASK_REVIEW,
            {"failure_kind": None, "failure_code": code, "failure_message": message},
            RunOutcome.NEEDS_REVIEW,
            steps=steps,
            now=now,
            error=error,
        )

    def release(self, claim: Claim, *, steps: Sequence[StepTiming] = ()) -> None:
        """A stopping robot gives the item back; the attempt is not counted."""
        now = self._clock()
        self._finish(
            claim,
            Action.RELEASE,
            {"attempts": _items.c.attempts - 1, "available_at": now},
            RunOutcome.RELEASED,
            steps=steps,
            now=now,
        )

    def _finish(
        self,
        claim: Claim,
        action: Action,
        values: dict[str, Any],
        outcome: RunOutcome,
        *,
        steps: Sequence[StepTiming],
        now: datetime,
        error: tuple[str, str | None] | None = None,
    ) -> None:
        finish_item = self._statements.finish_item(action, values)
        finish_run = self._statements.finish_run
        params = {k: v for k, v in values.items() if not isinstance(v, ClauseElement)}
        params.update(id=claim.item_id, token=claim.lease_token, now=now)
        item_params = finish_item.params(params)
        with self._hot.write() as cursor:
            cursor.execute(finish_item.sql, item_params)
            if cursor.rowcount != 1:
                raise LeaseLost(
                    "queue.lease_lost", {"item_id": claim.item_id, "action": action.value}
                )
            cursor.execute(
                finish_run.sql,
                finish_run.params(
                    {
                        "run_id": claim.run_id,
                        "now": now,
                        "outcome": outcome.value,
                        "steps": _steps_json(steps),
                        "error_code": error[0] if error else None,
                        "error_detail": error[1] if error else None,
                    }
                ),
            )
            self._audit.append(
                cursor,
                AuditRecord(
                    actor=f"robot:{claim.worker}",
                    action=f"item.{action.value}",
                    target=f"work_item:{claim.item_id}",
                    detail={
                        "state": target(action).value,
                        "run": claim.run_id,
                        "code": error[0] if error else None,
                    },
                ),
                now,
            )

    def run_outcome(self, run_id: int) -> RunOutcome | None:
        """How run ``run_id`` ended, or None while it is open."""
        with self.engine.connect() as conn:
            value = conn.execute(
                select(_runs.c.outcome).where(_runs.c.id == run_id)
            ).scalar_one_or_none()
        return None if value is None else RunOutcome(value)

    def reap_expired(
        self,
        queue: str,
        *,
        max_attempts: int,
        settle_attempts: int = 0,
        by: str = "system",
        limit: int = 100,
    ) -> list[int]:
        """Return items whose robot vanished: ``retried``, or ``abandoned`` with no attempt left.

        ``settle_attempts`` is for a process whose items have an irreversible effect (a
        payment) that the vanished robot may have made: such an item is never abandoned. It
        comes back for that many more attempts (the robot looks the effect up and finishes),
        then goes to a person (``needs_review``, :data:`EFFECT_UNVERIFIED`).
        """
        now = self._clock()
        expired = (
            select(_items.c.id)
            .where(
                _items.c.queue == queue,
                _items.c.state == ItemState.IN_PROGRESS.value,
                _items.c.lease_expires_at < now,
            )
            .limit(limit)
        )
        if self._skip_locked:
            expired = expired.with_for_update(skip_locked=True)
        limit_attempts = max_attempts + settle_attempts
        spent = _items.c.attempts >= limit_attempts
        final = Action.EXPIRE_REVIEW if settle_attempts else Action.ABANDON
        code = EFFECT_UNVERIFIED if settle_attempts else "system.lease_expired"
        with self.engine.connect() as conn, write_transaction(conn):
            found = conn.execute(expired.add_columns(_items.c.attempts)).all()
            if not found:
                return []
            ids = [row.id for row in found]
            conn.execute(
                update(_items)
                .where(_items.c.id.in_(ids), _items.c.state == ItemState.IN_PROGRESS.value)
                .values(
                    state=case(
                        (spent, target(final).value),
                        else_=target(Action.EXPIRE_RETRY).value,
                    ),
                    # An abandoned item is finished; one for a person is waiting for them.
                    finished_at=case((spent, now), else_=None) if final is Action.ABANDON else None,
                    available_at=now,
                    lease_owner=None,
                    lease_token=None,
                    lease_expires_at=None,
                    failure_kind=case(
                        (spent, "system" if final is Action.ABANDON else None), else_="system"
                    ),
                    failure_code=case((spent, code), else_="system.lease_expired"),
                    failure_message=case(
                        (spent, render(code, {}) if settle_attempts else None), else_=None
                    ),
                    updated_at=now,
                )
            )
            conn.execute(
                update(_runs)
                .where(_runs.c.item_id.in_(ids), _runs.c.outcome.is_(None))
                .values(
                    ended_at=now,
                    outcome=RunOutcome.LEASE_EXPIRED.value,
                    error_code="system.lease_expired",
                )
            )
            audit.append(
                conn,
                [
                    AuditRecord(
                        actor=by,
                        action=f"item.{(final if spent_ else Action.EXPIRE_RETRY).value}",
                        target=f"work_item:{row.id}",
                        detail={"code": code if spent_ else "system.lease_expired"},
                    )
                    for row in found
                    for spent_ in (row.attempts >= limit_attempts,)
                ],
                at=now,
            )
        return ids

    def attach(self, claim: Claim, *, name: str, media_type: str, sha256: str, size: int) -> int:
        """Record a stored artifact against the claim's run."""
        statement = (
            insert(models.artifacts)
            .values(
                item_id=claim.item_id,
                run_id=claim.run_id,
                name=name,
                media_type=media_type,
                sha256=sha256,
                size=size,
                created_at=self._clock(),
            )
            .returning(models.artifacts.c.id)
        )
        with self.engine.connect() as conn, write_transaction(conn):
            artifact_id = int(conn.execute(statement).scalar_one())
            audit.append(
                conn,
                [
                    AuditRecord(
                        actor=f"robot:{claim.worker}",
                        action="artifact.attach",
                        target=f"work_item:{claim.item_id}",
                        detail={"artifact": artifact_id, "sha256": sha256, "run": claim.run_id},
                    )
                ],
            )
            return artifact_id


__all__ = ["EFFECT_UNVERIFIED", "LeaseLost", "QueueStore"]
