"""Who looked at whose personal data, when and why: the privacy officer's record.

Every time a person is shown personal data (an item's payload, its output, an artifact), one
row records the person, their role, the stated reason, what was shown and when, in the same
transaction as an entry of the hash-chained audit trail, so the record itself cannot quietly
lose a line. A reason is required: the screen refuses to show personal data without one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select

from civicrpa.core.clock import utcnow
from civicrpa.core.errors import InputRejected
from civicrpa.db.engine import write_transaction
from civicrpa.security import audit
from civicrpa.security.audit import AuditRecord
from civicrpa.security.models import access_log

REASON_MAX = 500


@dataclass(frozen=True, kw_only=True)
class Access:
    """One recorded view of personal data."""

    at: datetime
    actor: str
    role: str
    reason: str
    subject_kind: str
    subject_id: str
    fields: list[str]


def record_access(
    engine: Engine,
    *,
    actor: str,
    role: str,
    reason: str,
    subject_kind: str,
    subject_id: str,
    fields: Sequence[str],
    clock: Callable[[], datetime] = utcnow,
) -> None:
    """Record that ``actor`` was shown ``fields`` of a subject, for ``reason``."""
    record_accesses(
        engine,
        actor=actor,
        role=role,
        reason=reason,
        subject_kind=subject_kind,
        subject_ids=[subject_id],
        fields=fields,
        clock=clock,
    )


def record_accesses(
    engine: Engine,
    *,
    actor: str,
    role: str,
    reason: str,
    subject_kind: str,
    subject_ids: Sequence[str],
    fields: Sequence[str],
    clock: Callable[[], datetime] = utcnow,
) -> None:
    """Record that ``actor`` was shown ``fields`` of each subject, for ``reason``: one row and
    one audit entry per subject, all in one transaction (an export of thousands of items)."""
    reason = reason.strip()
    if not reason:
        raise InputRejected("privacy.reason_required", field="reason")
    if len(reason) > REASON_MAX:
        raise InputRejected("privacy.reason_too_long", {"max": REASON_MAX}, field="reason")
    if not subject_ids:
        return
    now = clock()
    with engine.connect() as conn, write_transaction(conn):
        conn.execute(
            insert(access_log),
            [
                {
                    "at": now,
                    "actor": actor,
                    "role": role,
                    "reason": reason,
                    "subject_kind": subject_kind,
                    "subject_id": subject_id,
                    "fields": list(fields),
                }
                for subject_id in subject_ids
            ],
        )
        audit.append(
            conn,
            [
                AuditRecord(
                    actor=actor,
                    action="personal_data.read",
                    target=f"{subject_kind}:{subject_id}",
                    detail={"fields": list(fields), "reason": reason},
                )
                for subject_id in subject_ids
            ],
            at=now,
        )


def accesses(
    engine: Engine,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    actor: str | None = None,
) -> list[Access]:
    """Recorded views, oldest first, filtered by period and person."""
    query = select(access_log).order_by(access_log.c.id)
    if since is not None:
        query = query.where(access_log.c.at >= since)
    if until is not None:
        query = query.where(access_log.c.at < until)
    if actor is not None:
        query = query.where(access_log.c.actor == actor)
    with engine.connect() as conn:
        return [
            Access(
                at=r.at,
                actor=r.actor,
                role=r.role,
                reason=r.reason,
                subject_kind=r.subject_kind,
                subject_id=r.subject_id,
                fields=list(r.fields),
            )
            for r in conn.execute(query)
        ]


def by_actor(rows: Sequence[Access]) -> Counter[str]:
    """Views per person: what a privacy officer scans first for unusual volumes."""
    return Counter(row.actor for row in rows)


__all__ = [
    "REASON_MAX",
    "Access",
    "accesses",
    "by_actor",
    "record_access",
    "record_accesses",
]
