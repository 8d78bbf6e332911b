"""The tamper-evident audit trail: every change by a robot or a person, hash-chained.

Each entry's hash covers its number, time, actor, action, target, detail and the previous
entry's hash, so changing, deleting or reordering any entry breaks the chain from there on.
Appends happen in the same transaction as the change they record, under a lock on the one-row
head (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's single writer), so entries are numbered
1, 2, 3 ... without gaps and the chain never forks. Every :data:`ANCHOR_EVERY` entries an anchor
keeps the hash reached; ``civicrpa audit anchor`` also writes the head to a file outside the
database, which catches even a rewrite of the whole chain. The database refuses ``UPDATE`` and
``DELETE`` on the log (triggers, see migration 0003); ``verify`` names the first broken entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, bindparam, insert, select, update
from sqlalchemy.engine import Dialect

from civicrpa.core.clock import utcnow
from civicrpa.db.prepared import Prepared
from civicrpa.security.models import audit_anchors, audit_head, audit_log
from civicrpa.security.pii import mask_value

GENESIS = "0" * 64
#: An anchor is kept every this many entries.
ANCHOR_EVERY = 1000


@dataclass(frozen=True, kw_only=True)
class AuditRecord:
    """A change to record: who did what to which thing, with masked facts."""

    actor: str
    action: str
    target: str
    detail: Mapping[str, Any] = field(default_factory=dict)


def entry_hash(prev_hash: str, seq: int, at: datetime, record: AuditRecord) -> str:
    """SHA-256 over the previous hash and the entry's canonical JSON."""
    body = orjson.dumps(
        {
            "seq": seq,
            "at": at.isoformat(timespec="microseconds"),
            "actor": record.actor,
            "action": record.action,
            "target": record.target,
            "detail": record.detail,
        },
        option=orjson.OPT_SORT_KEYS,
    )
    return hashlib.sha256(prev_hash.encode() + b"\n" + body).hexdigest()


def _masked(record: AuditRecord) -> AuditRecord:
    detail = mask_value(dict(record.detail))
    return AuditRecord(
        actor=record.actor, action=record.action, target=record.target, detail=detail
    )


def _chain(
    head_seq: int, head_hash: str, records: Sequence[AuditRecord], at: datetime
) -> Iterator[dict[str, Any]]:
    seq, prev = head_seq, head_hash
    for record in records:
        seq += 1
        masked = _masked(record)
        digest = entry_hash(prev, seq, at, masked)
        yield {
            "seq": seq,
            "at": at,
            "actor": masked.actor,
            "action": masked.action,
            "target": masked.target,
            "detail": dict(masked.detail),
            "prev_hash": prev,
            "hash": digest,
        }
        prev = digest


def append(conn: Connection, records: Sequence[AuditRecord], *, at: datetime | None = None) -> int:
    """Append ``records`` inside the caller's transaction; returns the last number."""
    if not records:
        return 0
    at = at or utcnow()
    head = conn.execute(
        select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1).with_for_update()
    ).one()
    rows = list(_chain(head.seq, head.hash, records, at))
    for start in range(0, len(rows), 500):
        conn.execute(insert(audit_log), rows[start : start + 500])
    last = rows[-1]
    conn.execute(
        update(audit_head).where(audit_head.c.id == 1).values(seq=last["seq"], hash=last["hash"])
    )
    anchors = [
        {"seq": row["seq"], "hash": row["hash"], "at": at}
        for row in rows
        if row["seq"] % ANCHOR_EVERY == 0
    ]
    if anchors:
        conn.execute(insert(audit_anchors), anchors)
    return int(last["seq"])


class RawAuditAppender:
    """The same append on a DBAPI cursor, for the queue's prepared hot path."""

    def __init__(self, dialect: Dialect) -> None:
        head = select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)
        if dialect.name == "postgresql":
            head = head.with_for_update()
        self._head = Prepared(head, dialect, (audit_head.c.seq, audit_head.c.hash))
        self._insert = Prepared(
            insert(audit_log).values(
                {
                    name: bindparam(name)
                    for name in (
                        "seq",
                        "at",
                        "actor",
                        "action",
                        "target",
                        "detail",
                        "prev_hash",
                        "hash",
                    )
                }
            ),
            dialect,
        )
        self._move = Prepared(
            update(audit_head)
            .where(audit_head.c.id == 1)
            .values(seq=bindparam("seq"), hash=bindparam("hash")),
            dialect,
        )
        self._anchor = Prepared(
            insert(audit_anchors).values(
                seq=bindparam("seq"), hash=bindparam("hash"), at=bindparam("at")
            ),
            dialect,
        )

    def append(self, cursor: Any, record: AuditRecord, at: datetime) -> None:
        cursor.execute(self._head.sql, self._head.params({}))
        head = self._head.row(cursor.fetchone())
        assert head is not None, "audit head missing: run the migrations"
        (row,) = _chain(head["seq"], head["hash"], [record], at)
        cursor.execute(self._insert.sql, self._insert.params(row))
        cursor.execute(self._move.sql, self._move.params(row))
        if row["seq"] % ANCHOR_EVERY == 0:
            cursor.execute(self._anchor.sql, self._anchor.params(row))


@dataclass(frozen=True, kw_only=True)
class Verdict:
    """The result of checking the chain: ``broken_at`` is None when it is whole."""

    entries: int
    broken_at: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def _stored_record(row: Any) -> AuditRecord:
    detail = row.detail if isinstance(row.detail, dict) else json.loads(row.detail)
    return AuditRecord(actor=row.actor, action=row.action, target=row.target, detail=detail)


def verify(engine: Engine, *, anchor_file: Path | None = None, batch: int = 5000) -> Verdict:
    """Walk the chain from the first entry; report the first entry that does not fit."""
    anchors: dict[int, str] = {}
    with engine.connect() as conn:
        anchors.update({row.seq: row.hash for row in conn.execute(select(audit_anchors))})
        head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).one()
    if anchor_file is not None and anchor_file.exists():
        for line in anchor_file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                mark = json.loads(line)
                anchors[int(mark["seq"])] = str(mark["hash"])
    expected_seq, prev, count = 1, GENESIS, 0
    last_seq = 0
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                select(audit_log)
                .where(audit_log.c.seq >= expected_seq)
                .order_by(audit_log.c.seq)
                .limit(batch)
            ).all()
        if not rows:
            break
        for row in rows:
            if row.seq != expected_seq:
                return Verdict(entries=count, broken_at=expected_seq, problem="missing")
            if row.prev_hash != prev:
                return Verdict(entries=count, broken_at=row.seq, problem="relinked")
            digest = entry_hash(prev, row.seq, row.at, _stored_record(row))
            if digest != row.hash:
                return Verdict(entries=count, broken_at=row.seq, problem="altered")
            if row.seq in anchors and anchors[row.seq] != digest:
                return Verdict(entries=count, broken_at=row.seq, problem="anchor_mismatch")
            prev, last_seq, count = digest, row.seq, count + 1
            expected_seq += 1
    if head.seq != last_seq or (last_seq and head.hash != prev):
        return Verdict(entries=count, broken_at=last_seq + 1, problem="truncated")
    beyond = [seq for seq in anchors if seq > last_seq]
    if beyond:
        return Verdict(entries=count, broken_at=min(beyond), problem="truncated")
    return Verdict(entries=count)


def export_anchor(engine: Engine, anchor_file: Path) -> tuple[int, str]:
    """Append the current head to ``anchor_file`` (keep a copy away from the database)."""
    with engine.connect() as conn:
        head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).one()
    anchor_file.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"seq": head.seq, "hash": head.hash, "at": utcnow().isoformat()})
    with anchor_file.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    return int(head.seq), str(head.hash)


__all__ = [
    "ANCHOR_EVERY",
    "GENESIS",
    "AuditRecord",
    "RawAuditAppender",
    "Verdict",
    "append",
    "entry_hash",
    "export_anchor",
    "verify",
]
