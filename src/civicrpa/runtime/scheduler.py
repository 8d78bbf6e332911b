"""Firing schedules: each due schedule runs its process's producer once, whoever asks.

``run_due`` may be called by several robots or by cron at once: firing is a compare-and-set on
the schedule's ``next_due_at`` row, so exactly one caller fires each due time. A schedule seen for
the first time is due at its next time after now (no backlog of past times); after a long outage
a schedule fires once, not once per missed time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

import structlog
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from civicrpa.config import Settings
from civicrpa.core.clock import utcnow
from civicrpa.core.errors import NotFound
from civicrpa.db.engine import write_transaction
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.calendar import BusinessCalendar
from civicrpa.runtime.models import ScheduleState, schedule_states
from civicrpa.runtime.process import ProduceContext
from civicrpa.runtime.registry import AnyProcess, ProcessRegistry
from civicrpa.runtime.schedules import ScheduleRule, describe_ko, next_fire_after
from civicrpa.security.credentials import CredentialStore

_states = schedule_states
#: Most items one firing of a producer may add.
PRODUCE_LIMIT = 10_000


@dataclass(frozen=True, kw_only=True)
class ScheduleStatus:
    """A schedule as ``civicrpa schedule list`` shows it."""

    name: str
    process: str
    description_ko: str
    next_due_at: datetime
    last_fired_at: datetime | None
    last_added: int | None


@dataclass(frozen=True, kw_only=True)
class Firing:
    """One schedule fired: how many items its producer added."""

    name: str
    process: str
    due_at: datetime
    added: int
    existing: int


def calendar_for(settings: Settings) -> BusinessCalendar:
    """The city's business calendar: national holidays plus the city's own settings."""
    return BusinessCalendar(
        extra_holidays=settings.extra_holidays, extra_business_days=settings.extra_business_days
    )


class Scheduler:
    """The schedules of the registered processes, and their firing state in the database."""

    def __init__(
        self,
        *,
        store: QueueStore,
        registry: ProcessRegistry,
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.registry = registry
        self.settings = settings
        self.calendar = calendar_for(settings)
        self._clock = clock
        self._log = structlog.get_logger().bind(component="scheduler")

    def entries(self) -> Iterator[tuple[str, AnyProcess, ScheduleRule]]:
        for process in self.registry:
            for name, rule in process.schedules:
                yield name, process, rule

    def status(self) -> list[ScheduleStatus]:
        """Every schedule with its next due time (registering new ones)."""
        now = self._clock()
        result = []
        for name, process, rule in self.entries():
            state = self._state(name, rule, now)
            result.append(
                ScheduleStatus(
                    name=name,
                    process=process.name,
                    description_ko=describe_ko(rule),
                    next_due_at=state.next_due_at,
                    last_fired_at=state.last_fired_at,
                    last_added=state.last_added,
                )
            )
        return result

    def run_due(self, *, only: str | None = None) -> list[Firing]:
        """Fire every schedule whose time has come (or just ``only``)."""
        now = self._clock()
        firings = []
        known = False
        for name, process, rule in self.entries():
            if only is not None and name != only:
                continue
            known = True
            state = self._state(name, rule, now)
            if state.next_due_at > now:
                continue
            if not self._take(name, state.next_due_at, next_fire_after(rule, now, self.calendar)):
                continue  # another caller fired it
            firings.append(self._fire(name, process, state.next_due_at))
        if only is not None and not known:
            raise NotFound("schedule.unknown", {"name": only})
        return firings

    def _fire(self, name: str, process: AnyProcess, due: datetime) -> Firing:
        added = existing = 0
        if process.producer is not None:
            credentials = CredentialStore(self.store.engine, self.store.sealer.cipher)
            context = ProduceContext(settings=self.settings, limit=None, credentials=credentials)
            items = list(islice(process.producer(context), PRODUCE_LIMIT))
            result = self.store.add_many(process.queue, items, actor=f"schedule:{name}")
            added, existing = len(result.added), len(result.existing)
        with self.store.engine.connect() as conn, write_transaction(conn):
            conn.execute(update(_states).where(_states.c.name == name).values(last_added=added))
        self._log.info("schedule.fired", schedule=name, process=process.name, added=added)
        return Firing(name=name, process=process.name, due_at=due, added=added, existing=existing)

    def _state(self, name: str, rule: ScheduleRule, now: datetime) -> ScheduleState:
        """The schedule's row; a schedule seen for the first time is due at its next time."""
        query = select(_states).where(_states.c.name == name)
        engine = self.store.engine
        with engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            due = next_fire_after(rule, now, self.calendar)
            try:
                with engine.connect() as conn, write_transaction(conn):
                    conn.execute(insert(_states).values(name=name, next_due_at=due))
            except IntegrityError:
                pass  # another caller registered it first; read theirs
            with engine.connect() as conn:
                row = conn.execute(query).one()
        return ScheduleState(
            name=row.name,
            next_due_at=row.next_due_at,
            last_fired_at=row.last_fired_at,
            last_added=row.last_added,
        )

    def _take(self, name: str, due: datetime, following: datetime) -> bool:
        with self.store.engine.connect() as conn, write_transaction(conn):
            result = conn.execute(
                update(_states)
                .where(_states.c.name == name, _states.c.next_due_at == due)
                .values(next_due_at=following, last_fired_at=self._clock(), last_added=None)
            )
        return result.rowcount == 1


__all__ = ["Firing", "ScheduleStatus", "Scheduler", "calendar_for"]
