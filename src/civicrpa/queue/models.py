"""Tables of the work queue: work items, their runs (one per attempt), run artifacts, people's
decisions and the search keys of items' personal values."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from civicrpa.db.base import Base
from civicrpa.db.types import BigId, UTCDateTime
from civicrpa.queue.states import CLAIMABLE, ItemState

#: Stored instead of NULL for "no deadline", so one index serves the claim order on both databases
#: (SQLite sorts NULL first, PostgreSQL last). The store shows it as ``None``.
NO_DEADLINE = datetime(9999, 12, 31, tzinfo=UTC)

REFERENCE_MAX = 200
_STATES_SQL = ", ".join(f"'{state.value}'" for state in ItemState)
#: The ready-item condition, spelled identically in the partial index and in the claim query
#: (SQLite uses a partial index only when the query repeats its WHERE term literally).
CLAIMABLE_CONDITION = "state IN ({})".format(
    ", ".join(f"'{state.value}'" for state in sorted(CLAIMABLE))
)


class WorkItem(Base):
    """One unit of work: an application to check, a payment to register, a row of a list."""

    __tablename__ = "work_items"
    __table_args__ = (
        UniqueConstraint("queue", "reference", name="uq_work_items_queue_reference"),
        CheckConstraint(f"state IN ({_STATES_SQL})", name="state_known"),
        CheckConstraint("attempts >= 0", name="attempts_non_negative"),
        # The claim order: highest priority, nearest deadline, oldest first; ready items only.
        Index(
            "ix_work_items_claim",
            "queue",
            text("priority DESC"),
            "deadline",
            "id",
            sqlite_where=text(CLAIMABLE_CONDITION),
            postgresql_where=text(CLAIMABLE_CONDITION),
        ),
        Index(
            "ix_work_items_lease",
            "lease_expires_at",
            sqlite_where=text("state = 'in_progress'"),
            postgresql_where=text("state = 'in_progress'"),
        ),
        Index("ix_work_items_queue_state", "queue", "state"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    queue: Mapped[str] = mapped_column(String(100))
    #: Unique within the queue: adding the same reference twice adds nothing.
    reference: Mapped[str] = mapped_column(String(REFERENCE_MAX))
    state: Mapped[str] = mapped_column(String(32), default=ItemState.NEW.value)
    #: Higher first.
    priority: Mapped[int] = mapped_column(Integer, default=0)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime, default=NO_DEADLINE)
    #: Not claimed before this time (postponed items, retry backoff).
    available_at: Mapped[datetime] = mapped_column(UTCDateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    output: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: Attempts started (a released attempt is given back).
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: Fencing token of the current claim; completing requires it.
    lease_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: ``business`` or ``system`` for the last failure.
    failure_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    failure_code: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: The Korean reason a person reads (masked).
    failure_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: When the retention period ended and the personal data (payload, output, artifacts,
    #: error details) was destroyed (파기); the row stays for statistics and the audit trail.
    destroyed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Run(Base):
    """One attempt at one work item: who ran it, when, each step's duration, how it ended."""

    __tablename__ = "runs"
    __table_args__ = (Index("ix_runs_item", "item_id", "attempt"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(BigId, ForeignKey("work_items.id", ondelete="CASCADE"))
    attempt: Mapped[int] = mapped_column(Integer)
    process: Mapped[str] = mapped_column(String(100))
    worker: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: :class:`~civicrpa.queue.store.RunOutcome` value; NULL while running.
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: Masked developer detail (exception type and masked message, masked traceback).
    error_detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: ``[{"name": ..., "ms": ..., "ok": ...}, ...]`` in order.
    steps: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)


class Artifact(Base):
    """A file attached to a run (screenshot, trace, produced document), stored by content hash."""

    __tablename__ = "artifacts"
    __table_args__ = (Index("ix_artifacts_item", "item_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(BigId, ForeignKey("work_items.id", ondelete="CASCADE"))
    run_id: Mapped[int] = mapped_column(BigId, ForeignKey("runs.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Decision(Base):
    """A person's decision on an item (postpone, approve, reject, resolve, requeue) and why."""

    __tablename__ = "item_decisions"
    __table_args__ = (Index("ix_item_decisions_item", "item_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(BigId, ForeignKey("work_items.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    #: Who decided (a user name; a role-checked identity once access control lands).
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The code the robot asked a review for (approve, reject, resolve of a review).
    review_code: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: Names of the payload fields the reviewer corrected with an approval (never the values).
    corrected_fields: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)


class SearchKey(Base):
    """A keyed blind index of one personal value in an item's payload, to find the item by it.

    ``digest`` is the HMAC-SHA256 (key ring's index key) of the normalised value, never the value
    (:mod:`civicrpa.queue.search_keys`); ``kind`` is ``rrn``, ``account`` or ``phone``. Written
    with the item, erased with its payload when the retention period ends.
    """

    __tablename__ = "item_search_keys"
    __table_args__ = (
        CheckConstraint("kind IN ('rrn', 'account', 'phone')", name="kind_known"),
        Index("ix_item_search_keys_lookup", "kind", "digest"),
    )

    item_id: Mapped[int] = mapped_column(
        BigId,
        ForeignKey("work_items.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    #: Hexadecimal HMAC-SHA256.
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)


#: Core tables, for the statements of the store and the queries.
work_items = cast(Table, WorkItem.__table__)
runs = cast(Table, Run.__table__)
artifacts = cast(Table, Artifact.__table__)
decisions = cast(Table, Decision.__table__)
item_search_keys = cast(Table, SearchKey.__table__)
