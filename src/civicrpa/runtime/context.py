"""What a handler sees of the item it works on: payload, steps, logs, artifacts, session.

``ctx.step("name")`` times a step for the run record and is where a stopping robot lets go of
an item (before a step starts, never inside one). ``ctx.attach`` stores a file by its content
hash and lists it on the run. ``ctx.ensure_lease()`` lets a handler check, right before an
irreversible action such as a payment, that no other robot has taken the item over.
``ctx.review`` is the latest person's decision on the item (who, why, which review it settled,
which fields they corrected); ``ctx.ask_review(code)`` hands the item to a reviewer unless a
reviewer already approved that very question, and then returns the approval.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from civicrpa.config import Settings
from civicrpa.core.errors import NotFound
from civicrpa.queue import queries
from civicrpa.queue.records import Claim, DecisionView, StepTiming
from civicrpa.queue.store import LeaseLost, QueueStore
from civicrpa.runtime.artifacts import ArtifactStore, safe_name
from civicrpa.runtime.signals import AskReview, StopRequested
from civicrpa.security.credentials import CredentialStore, RobotCredential

P = TypeVar("P", bound=BaseModel)


@dataclass(kw_only=True)
class ItemContext(Generic[P]):
    """One attempt at one work item, as its handler sees it."""

    claim: Claim
    payload: P
    process: str
    settings: Settings
    #: The robot's logger; :attr:`log` binds this item's ids to it on first use.
    robot_log: Any
    store: QueueStore
    artifacts: ArtifactStore
    #: The robot's session (browser, HTTP client) when the process opens one.
    session: Any = None
    #: Encrypted log-ins to the municipal systems (``ctx.credential("intake")``).
    credentials: CredentialStore | None = None
    steps: list[StepTiming] = field(default_factory=list)
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

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time a named step; a stop request is honoured here, before the step begins."""
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
        return queries.latest_decision(self.store.engine, self.item_id)

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
        if self.credentials is None:
            raise NotFound("credentials.unknown", {"name": name})
        return self.credentials.get(name)

    def ensure_lease(self) -> None:
        """Raise :class:`LeaseLost` if another robot may have taken this item over."""
        if self._lease_lost():
            raise LeaseLost("queue.lease_lost", {"item_id": self.item_id, "action": "check"})

    def attach(self, name: str, data: bytes, media_type: str = "application/octet-stream") -> str:
        """Store ``data`` by content hash and list it on this run; returns the hash."""
        stored = self.artifacts.put(data)
        self.store.attach(
            self.claim,
            name=safe_name(name),
            media_type=media_type,
            sha256=stored.sha256,
            size=stored.size,
        )
        return stored.sha256


__all__ = ["ItemContext"]
