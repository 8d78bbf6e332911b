"""Frozen values the queue hands out and takes in (never ORM objects, never live rows)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from civicrpa.queue.states import ItemState


class RunOutcome(enum.StrEnum):
    """How one attempt ended."""

    #: The item was done.
    SUCCESSFUL = "successful"
    #: The item is wrong (business exception).
    BUSINESS_EXCEPTION = "business_exception"
    #: Something broke (system exception); the item is retried or failed by policy.
    SYSTEM_EXCEPTION = "system_exception"
    #: The robot stopped answering; its lease ran out.
    LEASE_EXPIRED = "lease_expired"
    #: A stopping robot handed the item back before finishing it.
    RELEASED = "released"
    #: The robot postponed the item.
    DEFERRED = "deferred"
    #: The robot asked a person to decide.
    NEEDS_REVIEW = "needs_review"


@dataclass(frozen=True, kw_only=True)
class NewItem:
    """An item to add: ``reference`` is unique in its queue, so adding it twice adds it once."""

    reference: str
    payload: Mapping[str, Any]
    priority: int = 0
    deadline: datetime | None = None
    available_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class AddResult:
    """What an add did: ids of new items, and references that were already queued."""

    added: list[int] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True, slots=True)
class Claim:
    """A work item held by one robot: the lease token fences every later write."""

    item_id: int
    queue: str
    reference: str
    payload: dict[str, Any]
    attempt: int
    run_id: int
    worker: str
    lease_token: str = field(repr=False)
    lease_expires_at: datetime
    #: Why the payload could not be opened (a missing key): the attempt fails with it.
    unreadable: Exception | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class StepTiming:
    """How long one named step of a run took."""

    name: str
    ms: float
    ok: bool


@dataclass(frozen=True, kw_only=True)
class ItemView:
    """A work item as people and reports see it."""

    id: int
    queue: str
    reference: str
    state: ItemState
    priority: int
    deadline: datetime | None
    available_at: datetime
    attempts: int
    #: Decrypted only for a reader who is allowed to see it (``None`` in listings).
    payload: dict[str, Any] | None = field(repr=False)
    output: dict[str, Any] | None = field(repr=False)
    failure_kind: str | None
    failure_code: str | None
    failure_message: str | None = field(repr=False)
    lease_owner: str | None
    lease_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    #: When retention destroyed its personal data (파기).
    destroyed_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class RunView:
    """One attempt, as ``queue show`` prints it."""

    id: int
    item_id: int
    attempt: int
    process: str
    worker: str
    started_at: datetime
    ended_at: datetime | None
    outcome: RunOutcome | None
    error_code: str | None
    error_detail: str | None = field(repr=False)
    steps: list[StepTiming]


@dataclass(frozen=True, kw_only=True)
class ArtifactView:
    """A file attached to a run."""

    id: int
    item_id: int
    run_id: int
    name: str
    media_type: str
    sha256: str
    size: int
    created_at: datetime


@dataclass(frozen=True, kw_only=True)
class DecisionView:
    """A person's decision on an item."""

    id: int
    item_id: int
    action: str
    from_state: str
    to_state: str
    actor: str
    reason: str = field(repr=False)
    decided_at: datetime
    #: The code the robot asked the review for, when the decision settles a review.
    review_code: str | None = None
    #: Payload fields the reviewer corrected with an approval.
    corrected_fields: list[str] | None = None

    @property
    def approved(self) -> bool:
        """A reviewer approved: the robot goes on past the review it asked for."""
        return self.action == "approve"

    def approves(self, code: str) -> bool:
        """Whether this is a reviewer's approval of the very review ``code`` the robot asked."""
        return self.approved and self.review_code == code
