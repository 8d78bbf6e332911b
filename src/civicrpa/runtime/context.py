"""What a handler sees of the item it works on: no more than it needs.

``ctx.payload`` is the validated item, ``ctx.settings`` the process's own settings (read once
before the first item), ``ctx.today`` the day the rules judge by. ``ctx.step("name")`` times a
step for the run record and is where a stopping robot lets go of an item (before a step starts,
never inside one). ``ctx.ensure_lease()`` checks, right before an irreversible action such as a
payment, that no other robot has taken the item over. ``ctx.enqueue`` queues follow-up items
(later instalments), ``ctx.search_key`` gives a keyed, one-way key for a personal value (to
match a person across items without keeping the number), ``ctx.browser`` is the robot's browser
for a process that has one, and ``ctx.attach`` stores a file on the run.

``ctx.review`` is the latest person's decision on the item (who, why, which review it settled,
which fields they corrected); ``ctx.ask_review(code)`` hands the item to a reviewer unless a
reviewer already approved that very question, and then returns the approval.

The queue's store, the cipher and the installation's settings stay with the runtime: a handler
reaches the systems of record only through its session and :mod:`civicrpa.systems`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from civicrpa.config import Settings
from civicrpa.core.clock import to_kst, utcnow
from civicrpa.core.errors import NotFound
from civicrpa.queue import queries
from civicrpa.queue.records import AddResult, Claim, DecisionView, NewItem, StepTiming
from civicrpa.queue.store import LeaseLost, QueueStore
from civicrpa.runtime.artifacts import ArtifactStore, safe_name
from civicrpa.runtime.settings import ProcessSettings
from civicrpa.runtime.signals import AskReview, StopRequested
from civicrpa.security.credentials import CredentialStore, RobotCredential

if TYPE_CHECKING:
    from civicrpa.runtime.browser.session import BrowserSession

P = TypeVar("P", bound=BaseModel)


def process_today(settings: Settings) -> date:
    """The day processes judge by: the configured process date, else today in Korea."""
    return settings.process_date or to_kst(utcnow()).date()


@dataclass(kw_only=True)
class ItemContext(Generic[P]):
    """One attempt at one work item, as its handler sees it."""

    claim: Claim
    payload: P
    #: The process's name.
    process: str
    #: The process's own settings (:mod:`civicrpa.runtime.settings`).
    settings: Any = field(default_factory=ProcessSettings)
    #: The robot's logger; :attr:`log` binds this item's ids to it on first use.
    robot_log: Any
    #: The robot's session (browser, HTTP client) when the process opens one.
    session: Any = None
    steps: list[StepTiming] = field(default_factory=list)
    # What the runtime keeps to itself (the built-in 파기 process is the one handler that
    # needs them; see :meth:`runtime_internals`).
    _store: QueueStore
    _artifacts: ArtifactStore
    _installation: Settings
    _credentials: CredentialStore | None = None
    _stop_requested: Callable[[], bool] = lambda: False
    _lease_lost: Callable[[], bool] = lambda: False

    @cached_property
    def log(self) -> Any:
        """A structured logger bound to this item, run and attempt (values masked on output)."""
        return self.robot_log.bind(
            process=self.process,
            item_id=self.claim.item_id,
            run_id=self.claim.run_id,
            attempt=self.claim.attempt,
        )

    @property
    def item_id(self) -> int:
        return self.claim.item_id

    @property
    def reference(self) -> str:
        return self.claim.reference

    @property
    def attempt(self) -> int:
        """1 for the first try, 2 for the first retry, ..."""
        return self.claim.attempt

    @property
    def today(self) -> date:
        """The day the rules judge by (``CIVICRPA_PROCESS_DATE``, else today in Korea)."""
        return process_today(self._installation)

    @property
    def browser(self) -> BrowserSession:
        """The robot's browser (a process with ``session=browser_session()``)."""
        from civicrpa.runtime.browser.session import BrowserSession

        if not isinstance(self.session, BrowserSession):
            raise TypeError(f"process {self.process} has no browser session")
        return self.session

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time a named step; a stop request is honoured here, before the step begins.

        ``name`` is English; people read it as ``<prefix>.step.<name>`` from the process's
        catalogue (``queue show``)."""
        if self._stop_requested():
            raise StopRequested(name)
        started = time.perf_counter()
        ok = False
        try:
            yield
            ok = True
        finally:
            self.steps.append(
                StepTiming(name=name, ms=(time.perf_counter() - started) * 1000, ok=ok)
            )

    @cached_property
    def review(self) -> DecisionView | None:
        """The latest decision a person made on this item (approve, reject, requeue, ...)."""
        return queries.latest_decision(self._store.engine, self.item_id)

    def ask_review(self, code: str, params: Mapping[str, Any] | None = None) -> DecisionView:
        """Ask a reviewer to decide ``code``, or return their approval if they already did.

        A reviewer's approval of the question the robot asked lets the robot go on; the
        approval (who, why, corrected fields) is returned for the output or a memo.
        """
        review = self.review
        if review is not None and review.approves(code):
            return review
        raise AskReview(code, params)

    def credential(self, name: str) -> RobotCredential:
        """The robot's log-in for system ``name`` (its secret never appears in logs)."""
        if self._credentials is None:
            raise NotFound("credentials.unknown", {"name": name})
        return self._credentials.get(name)

    def ensure_lease(self) -> None:
        """Raise :class:`LeaseLost` if another robot may have taken this item over."""
        if self._lease_lost():
            raise LeaseLost("queue.lease_lost", {"item_id": self.item_id, "action": "check"})

    def enqueue(self, items: Iterable[NewItem]) -> AddResult:
        """Queue follow-up items in this item's queue (each due at its ``available_at``).

        Idempotent by reference: an item already queued (by a lost earlier attempt) is left as
        it is, so a retry may enqueue again what it needs."""
        return self._store.add_many(
            self.claim.queue, list(items), actor=f"robot:{self.claim.worker}"
        )

    def search_key(self, value: str, *, context: str) -> str:
        """A keyed one-way key of ``value`` for ``context`` (a blind index): the same person
        gets the same key in every item, and the key tells nothing of the number."""
        return self._store.sealer.cipher.blind_index(value, context=context)

    def attach(self, name: str, data: bytes, media_type: str = "application/octet-stream") -> str:
        """Store ``data`` by content hash and list it on this run; returns the hash."""
        stored = self._artifacts.put(data)
        self._store.attach(
            self.claim,
            name=safe_name(name),
            media_type=media_type,
            sha256=stored.sha256,
            size=stored.size,
        )
        return stored.sha256

    def runtime_internals(self) -> tuple[QueueStore, Settings]:
        """The queue store and the installation's settings: for the runtime's own processes
        (the nightly 파기), never for an administrative process."""
        return self._store, self._installation


__all__ = ["ItemContext", "process_today"]
