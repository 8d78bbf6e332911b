"""Reading the queue: items, their runs and artifacts, counts, and run summaries.

Reads never change anything and never lock; on SQLite (WAL) they do not block robots.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Row, and_, func, or_, select, text

from civicrpa.core.clock import utcnow
from civicrpa.core.errors import NotFound
from civicrpa.queue import models
from civicrpa.queue.models import CLAIMABLE_CONDITION, NO_DEADLINE
from civicrpa.queue.records import (
    ArtifactView,
    DecisionView,
    ItemView,
    RunOutcome,
    RunView,
    StepTiming,
)
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.states import CLAIMABLE, ItemState

_items = models.work_items
_runs = models.runs
_artifacts = models.artifacts
_decisions = models.decisions


def _item_view(row: Row[Any], sealer: PayloadSealer | None = None) -> ItemView:
    """The item; its payload and output only when a ``sealer`` is given to open them."""
    payload = output = None
    if sealer is not None:
        payload = sealer.open("payload", row.queue, row.reference, row.payload)
        output = sealer.open("output", row.queue, row.reference, row.output)
    return ItemView(
        id=row.id,
        queue=row.queue,
        reference=row.reference,
        state=ItemState(row.state),
        priority=row.priority,
        deadline=None if row.deadline == NO_DEADLINE else row.deadline,
        available_at=row.available_at,
        attempts=row.attempts,
        payload=payload,
        output=output,
        failure_kind=row.failure_kind,
        failure_code=row.failure_code,
        failure_message=row.failure_message,
        lease_owner=row.lease_owner,
        lease_expires_at=row.lease_expires_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        finished_at=row.finished_at,
        destroyed_at=row.destroyed_at,
    )


def get_item(engine: Engine, item_id: int, *, sealer: PayloadSealer | None = None) -> ItemView:
    """One item (payload and output decrypted with ``sealer``); :class:`NotFound` if none."""
    with engine.connect() as conn:
        row = conn.execute(select(_items).where(_items.c.id == item_id)).first()
    if row is None:
        raise NotFound("queue.item_not_found", {"item_id": item_id})
    return _item_view(row, sealer)


def list_items(
    engine: Engine,
    *,
    queue: str | None = None,
    states: Sequence[ItemState] = (),
    limit: int = 50,
    offset: int = 0,
    sealer: PayloadSealer | None = None,
) -> list[ItemView]:
    """Items, newest first, filtered by queue and states (decrypted with ``sealer``)."""
    query = select(_items).order_by(_items.c.id.desc()).limit(limit).offset(offset)
    if queue:
        query = query.where(_items.c.queue == queue)
    if states:
        query = query.where(_items.c.state.in_([s.value for s in states]))
    with engine.connect() as conn:
        return [_item_view(row, sealer) for row in conn.execute(query)]


def count_by_state(engine: Engine, queue: str | None = None) -> dict[str, Counter[ItemState]]:
    """``{queue: Counter({state: n})}``."""
    query = select(_items.c.queue, _items.c.state, func.count()).group_by(
        _items.c.queue, _items.c.state
    )
    if queue:
        query = query.where(_items.c.queue == queue)
    counts: dict[str, Counter[ItemState]] = {}
    with engine.connect() as conn:
        for name, state, n in conn.execute(query):
            counts.setdefault(name, Counter())[ItemState(state)] = n
    return counts


def overdue(engine: Engine, queue: str | None = None, *, now: datetime | None = None) -> int:
    """Unfinished items past their deadline (SLA breaches)."""
    now = now or utcnow()
    query = select(func.count()).where(
        _items.c.deadline < now,
        _items.c.finished_at.is_(None),
        _items.c.state != ItemState.SUCCESSFUL.value,
    )
    if queue:
        query = query.where(_items.c.queue == queue)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def runs_of(engine: Engine, item_id: int) -> list[RunView]:
    """Every attempt at an item, oldest first."""
    query = select(_runs).where(_runs.c.item_id == item_id).order_by(_runs.c.id)
    with engine.connect() as conn:
        return [
            RunView(
                id=row.id,
                item_id=row.item_id,
                attempt=row.attempt,
                process=row.process,
                worker=row.worker,
                started_at=row.started_at,
                ended_at=row.ended_at,
                outcome=RunOutcome(row.outcome) if row.outcome else None,
                error_code=row.error_code,
                error_detail=row.error_detail,
                steps=[StepTiming(**step) for step in row.steps or []],
            )
            for row in conn.execute(query)
        ]


def artifacts_of(engine: Engine, item_id: int) -> list[ArtifactView]:
    """Files attached to an item's runs."""
    query = select(_artifacts).where(_artifacts.c.item_id == item_id).order_by(_artifacts.c.id)
    with engine.connect() as conn:
        return [ArtifactView(**row._asdict()) for row in conn.execute(query)]


def decisions_of(engine: Engine, item_id: int) -> list[DecisionView]:
    """People's decisions on an item, oldest first."""
    query = select(_decisions).where(_decisions.c.item_id == item_id).order_by(_decisions.c.id)
    with engine.connect() as conn:
        return [DecisionView(**row._asdict()) for row in conn.execute(query)]


def latest_decision(engine: Engine, item_id: int) -> DecisionView | None:
    """The newest person's decision on an item, if any."""
    query = (
        select(_decisions)
        .where(_decisions.c.item_id == item_id)
        .order_by(_decisions.c.id.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else DecisionView(**row._asdict())


@dataclass(frozen=True, kw_only=True)
class Pending:
    """Work that keeps a draining robot waiting."""

    in_progress: int
    due_soon: int


def pending(engine: Engine, queue: str, *, horizon: timedelta) -> Pending:
    """Items in progress, and claimable items due within ``horizon``."""
    now = utcnow()
    with engine.connect() as conn:
        in_progress = conn.execute(
            select(func.count()).where(
                _items.c.queue == queue, _items.c.state == ItemState.IN_PROGRESS.value
            )
        ).scalar_one()
        due_soon = conn.execute(
            select(func.count()).where(
                _items.c.queue == queue,
                text(CLAIMABLE_CONDITION),
                _items.c.available_at <= now + horizon,
            )
        ).scalar_one()
    return Pending(in_progress=int(in_progress), due_soon=int(due_soon))


def not_due(engine: Engine, queue: str, *, horizon: timedelta) -> int:
    """Claimable items that only become due after ``horizon`` (e.g. next year's instalments)."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).where(
                    _items.c.queue == queue,
                    text(CLAIMABLE_CONDITION),
                    _items.c.available_at > utcnow() + horizon,
                )
            ).scalar_one()
        )


@dataclass(frozen=True, kw_only=True)
class BusinessReason:
    """The business exceptions of one failure code, with the Korean messages they carried.

    One code can carry several messages: its catalogue template filled with the item's values
    ("제출 서류가 빠졌습니다: 출생증명서" and "...: 통장 사본").
    """

    code: str
    #: ``(Korean message, count)``, most frequent first; a single entry when it never varies.
    messages: tuple[tuple[str, int], ...]

    @property
    def count(self) -> int:
        return sum(n for _, n in self.messages)


@dataclass(frozen=True, kw_only=True)
class RunSummary:
    """What happened to a queue's items since a moment: for closing summaries and reports."""

    #: Items touched since the moment, by state, except those scheduled for later: ``NEW`` ones
    #: here are due but were never taken (a run that stopped early).
    states: Counter[ItemState]
    #: Touched items waiting to be taken that are not due yet (the later instalments a run
    #: scheduled, items postponed): not processed; this run's share of the bar's "이후 예정".
    later: int = 0
    #: Items of the whole queue not due yet, touched by this run or before: the progress bar's
    #: "이후 예정", which counts earlier runs' instalments too.
    later_in_queue: int = 0
    #: Business exceptions to be fixed (보완요청: sent back to the applicant) by failure code,
    #: most frequent first.
    business_reasons: tuple[BusinessReason, ...] = ()
    #: Business exceptions the rules refuse (an official confirms the refusal), by code.
    refusal_reasons: tuple[BusinessReason, ...] = ()
    #: Items waiting for an official's decision: asked for review, or refused by the rules.
    awaiting_decision: tuple[AwaitingDecision, ...] = ()
    #: Attempts that ended in a system exception (retried or not).
    system_exceptions: int = 0
    attempts: int = 0
    #: ``sum_fields`` summed over the successful items' outputs (whole won, counts).
    output_totals: dict[str, int] = field(default_factory=dict)
    #: How many successful items' outputs carried each of ``sum_fields`` (the payments made).
    output_counts: dict[str, int] = field(default_factory=dict)

    @property
    def processed(self) -> int:
        """Items robots took and settled, or still hold (retrying): not the due but untouched."""
        return sum(n for state, n in self.states.items() if state is not ItemState.NEW)

    @property
    def waiting(self) -> int:
        """Due items nobody took (the run stopped before them)."""
        return self.states[ItemState.NEW]

    @property
    def refused(self) -> int:
        """Business exceptions the rules refused (within ``states[BUSINESS_EXCEPTION]``)."""
        return sum(r.count for r in self.refusal_reasons)

    @property
    def finished_by_robots(self) -> int:
        """Items the robots carried to the end (what saves staff time)."""
        return self.states[ItemState.SUCCESSFUL]

    def hours_saved(self, manual_minutes: float | None) -> float:
        """Staff hours saved at ``manual_minutes`` an item by hand: only what the robots
        finished counts (an exception still takes an official's time)."""
        return self.finished_by_robots * (manual_minutes or 0) / 60


@dataclass(frozen=True, kw_only=True)
class AwaitingDecision:
    """An item an official must decide: its number, reference and the Korean reason."""

    id: int
    reference: str
    state: ItemState
    reason: str


def _business_reasons(
    rows: Iterable[tuple[str | None, str | None, int]],
) -> tuple[BusinessReason, ...]:
    """``(code, message, count)`` rows folded by code, most frequent code first."""
    by_code: dict[str, list[tuple[str, int]]] = {}
    for code, message, n in rows:
        by_code.setdefault(code or "-", []).append((message or "", int(n)))
    reasons = [
        BusinessReason(code=code, messages=tuple(sorted(messages, key=lambda m: (-m[1], m[0]))))
        for code, messages in by_code.items()
    ]
    return tuple(sorted(reasons, key=lambda r: (-r.count, r.code)))


def summarize(
    engine: Engine,
    queue: str,
    *,
    since: datetime,
    sum_fields: Sequence[str] = (),
    sealer: PayloadSealer | None = None,
    horizon: timedelta = timedelta(0),
    now: datetime | None = None,
) -> RunSummary:
    """Items of ``queue`` touched since ``since``: states, business reasons, retries.

    Items waiting to be taken but due only after ``now + horizon`` count as ``later``, not by
    state; give the runner's drain horizon to agree with its progress bar (a retry due in a
    minute is not "later").
    """
    now = now or utcnow()
    touched = (_items.c.queue == queue, _items.c.updated_at >= since)
    by_state = select(_items.c.state, func.count()).where(*touched).group_by(_items.c.state)
    not_yet_due = (
        _items.c.state.in_([state.value for state in CLAIMABLE]),
        _items.c.available_at > now + horizon,
    )
    with engine.connect() as conn:
        states: Counter[ItemState] = Counter()
        for state, n in conn.execute(by_state):
            states[ItemState(state)] += int(n)
        later = 0
        for state, n in conn.execute(by_state.where(*not_yet_due)):
            states[ItemState(state)] -= int(n)
            later += int(n)
        later_in_queue = conn.execute(
            select(func.count()).where(_items.c.queue == queue, *not_yet_due)
        ).scalar_one()
        by_kind = {
            kind: _business_reasons(
                conn.execute(
                    select(_items.c.failure_code, _items.c.failure_message, func.count())
                    .where(*touched, _items.c.state == ItemState.BUSINESS_EXCEPTION.value)
                    .where(
                        _items.c.failure_kind == "refusal"
                        if kind == "refusal"
                        else or_(
                            _items.c.failure_kind.is_(None), _items.c.failure_kind != "refusal"
                        )
                    )
                    .group_by(_items.c.failure_code, _items.c.failure_message)
                )
            )
            for kind in ("business", "refusal")
        }
        awaiting = tuple(
            AwaitingDecision(
                id=row.id,
                reference=row.reference,
                state=ItemState(row.state),
                reason=row.failure_message or row.failure_code or "-",
            )
            for row in conn.execute(
                select(
                    _items.c.id,
                    _items.c.reference,
                    _items.c.state,
                    _items.c.failure_code,
                    _items.c.failure_message,
                )
                .where(
                    *touched,
                    or_(
                        _items.c.state == ItemState.NEEDS_REVIEW.value,
                        and_(
                            _items.c.state == ItemState.BUSINESS_EXCEPTION.value,
                            _items.c.failure_kind == "refusal",
                        ),
                    ),
                )
                .order_by(_items.c.id)
            )
        )
        run_filter = (
            _runs.c.item_id == _items.c.id,
            _items.c.queue == queue,
            _runs.c.started_at >= since,
        )
        attempts = conn.execute(select(func.count()).where(*run_filter)).scalar_one()
        system = conn.execute(
            select(func.count()).where(
                *run_filter, _runs.c.outcome == RunOutcome.SYSTEM_EXCEPTION.value
            )
        ).scalar_one()
        totals: dict[str, int] = {}
        counts: dict[str, int] = {}
        if sum_fields and sealer is not None:
            for reference, stored in conn.execute(
                select(_items.c.reference, _items.c.output).where(
                    *touched, _items.c.state == ItemState.SUCCESSFUL.value
                )
            ):
                output = sealer.open("output", queue, reference, stored)
                for name in sum_fields:
                    value = (output or {}).get(name)
                    if isinstance(value, int) and not isinstance(value, bool):
                        totals[name] = totals.get(name, 0) + value
                        counts[name] = counts.get(name, 0) + 1
    return RunSummary(
        states=+states,
        later=later,
        later_in_queue=int(later_in_queue),
        business_reasons=by_kind["business"],
        refusal_reasons=by_kind["refusal"],
        awaiting_decision=awaiting,
        system_exceptions=int(system),
        attempts=int(attempts),
        output_totals=totals,
        output_counts=counts,
    )


__all__ = [
    "AwaitingDecision",
    "BusinessReason",
    "Pending",
    "RunSummary",
    "artifacts_of",
    "count_by_state",
    "decisions_of",
    "get_item",
    "list_items",
    "overdue",
    "pending",
    "runs_of",
    "summarize",
]
