"""The tamper-evident audit trail: every change by a robot or a person, chained and keyed.

Each entry's hash covers its number, time, actor, action, target, detail and the previous
entry's hash, so changing, deleting or reordering any entry breaks the chain from there on.
Appends happen in the same transaction as the change they record, under a lock on the one-row
head (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's single writer), so entries are numbered
1, 2, 3 ... without gaps and the chain never forks. The database refuses ``UPDATE`` and
``DELETE`` on the log (triggers, migration 0003) and any insert that is not numbered right after
the last entry, which is how ``INSERT OR REPLACE`` and ``ON CONFLICT DO UPDATE`` are stopped
(migration 0007); ``verify`` names the first broken entry.

**Keyed.** The hash is an HMAC-SHA256 under the key ring's audit key (:class:`AuditKey`, kept
outside the database with the data keys, :mod:`civicrpa.security.crypto`), so someone who can
write the database but not read the ring can neither append an entry that verifies nor rewrite
the chain consistently. Each entry names the audit key's id (``key_id``). The audit key is not
rotated with the data keys (``civicrpa keys rotate`` carries it over, like the index key), so
every entry stays verifiable; an entry under a key id the ring does not hold is reported.
Whoever builds the store binds the key to its engine once (:func:`keyed`; ``QueueStore`` does it
with its sealer's key): every connection of that engine appends with it, and a connection
without it cannot append at all.

**Entries from before keying** (revision 0007) have ``key_id`` NULL and a plain SHA-256 hash.
``verify`` accepts them only as the chain's first entries, and only when a keyed entry follows
them, whose hash covers theirs: from the first keyed entry on, an unkeyed entry is a forgery
(``unkeyed``), and a chain that ends in unkeyed entries is unsealed (``unsealed``: an attacker
could have appended them). ``civicrpa db upgrade`` seals an existing chain at once with an
``audit.keyed`` entry (:func:`seal_legacy`); any later append seals it too.

**Anchors.** Every :data:`ANCHOR_EVERY` entries an anchor keeps the hash reached; ``civicrpa
audit anchor`` also writes the head where the database's writer cannot
(:mod:`civicrpa.security.anchors`), which catches what the database alone cannot: the chain cut
short, or rewritten by someone holding the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection, Engine, bindparam, insert, select, update
from sqlalchemy.engine import Dialect

from civicrpa.core.clock import utcnow
from civicrpa.core.errors import ConfigurationError
from civicrpa.db.engine import write_transaction
from civicrpa.db.prepared import Prepared
from civicrpa.security.models import audit_anchors, audit_head, audit_log
from civicrpa.security.pii import mask_value

if TYPE_CHECKING:
    from civicrpa.security.crypto import KeyRing

GENESIS = "0" * 64
#: An anchor is kept every this many entries.
ANCHOR_EVERY = 1000
#: The action of the entry that seals the unkeyed entries written before keying began.
KEYED_ACTION = "audit.keyed"
#: The engine execution option carrying the :class:`AuditKey` (see :func:`keyed`).
_KEY_OPTION = "civicrpa_audit_key"


class AuditKey:
    """The key ring's audit key, ready to seal entries: HMAC-SHA256, keyed once.

    The HMAC object is built here, once; each entry copies it (no re-keying, no read of the
    ring). Never shows the key (``repr`` names only its id).
    """

    __slots__ = ("_mac", "key_id")

    def __init__(self, key_id: str, secret: bytes) -> None:
        if not key_id or len(secret) < 32:
            raise ConfigurationError("config.invalid", {"detail": "audit key too short"})
        self.key_id = key_id
        self._mac = hmac.new(secret, digestmod="sha256")

    @classmethod
    def from_ring(cls, ring: KeyRing) -> AuditKey:
        """The audit key of ``ring``."""
        return cls(ring.audit_key_id, ring.audit_key)

    def seal(self, message: bytes) -> str:
        """The hex HMAC of ``message``."""
        mac = self._mac.copy()
        mac.update(message)
        return mac.hexdigest()

    def __repr__(self) -> str:
        return f"AuditKey({self.key_id!r})"


def keyed(engine: Engine, key: AuditKey) -> Engine:
    """``engine`` (same pool) whose connections append to the chain and verify it with ``key``."""
    return engine.execution_options(**{_KEY_OPTION: key})


def key_of(bind: Engine | Connection) -> AuditKey:
    """The audit key bound to ``bind`` by :func:`keyed`; none is a configuration mistake."""
    key = bind.get_execution_options().get(_KEY_OPTION)
    if not isinstance(key, AuditKey):
        raise ConfigurationError("security.audit_key_missing")
    return key


@dataclass(frozen=True, kw_only=True)
class AuditRecord:
    """A change to record: who did what to which thing, with masked facts."""

    actor: str
    action: str
    target: str
    detail: Mapping[str, Any] = field(default_factory=dict)


def _message(prev_hash: str, seq: int, at: datetime, record: AuditRecord) -> bytes:
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
    return prev_hash.encode() + b"\n" + body


def entry_hash(
    prev_hash: str, seq: int, at: datetime, record: AuditRecord, *, key: AuditKey | None
) -> str:
    """The entry's hash over the previous hash and its canonical JSON: HMAC-SHA256 under
    ``key``, or the plain SHA-256 of entries written before keying began (``key=None``)."""
    message = _message(prev_hash, seq, at, record)
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return key.seal(message)


def _masked(record: AuditRecord) -> AuditRecord:
    detail = mask_value(dict(record.detail))
    return AuditRecord(
        actor=record.actor, action=record.action, target=record.target, detail=detail
    )


def _chain(
    head_seq: int,
    head_hash: str,
    records: Sequence[AuditRecord],
    at: datetime,
    key: AuditKey,
) -> Iterator[dict[str, Any]]:
    seq, prev = head_seq, head_hash
    for record in records:
        seq += 1
        masked = _masked(record)
        digest = key.seal(_message(prev, seq, at, masked))
        yield {
            "seq": seq,
            "at": at,
            "actor": masked.actor,
            "action": masked.action,
            "target": masked.target,
            "detail": dict(masked.detail),
            "prev_hash": prev,
            "hash": digest,
            "key_id": key.key_id,
        }
        prev = digest


def append(conn: Connection, records: Sequence[AuditRecord], *, at: datetime | None = None) -> int:
    """Append ``records`` inside the caller's transaction, sealed with the key bound to the
    connection's engine (:func:`keyed`); returns the last number."""
    if not records:
        return 0
    key = key_of(conn)
    at = at or utcnow()
    head = conn.execute(
        select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1).with_for_update()
    ).one()
    rows = list(_chain(head.seq, head.hash, records, at, key))
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


def _unsealed(conn: Connection, head: int) -> int:
    """How many unkeyed entries end a chain that holds no keyed entry (0: nothing to seal)."""
    if head == 0:
        return 0
    last_key = conn.execute(
        select(audit_log.c.key_id).where(audit_log.c.seq == head)
    ).scalar_one_or_none()
    if last_key is not None:
        return 0
    keyed_entry = select(audit_log.c.seq).where(audit_log.c.key_id.is_not(None)).limit(1)
    if conn.execute(keyed_entry).first() is not None:
        return 0  # unkeyed entries after a keyed one are forgeries: verify names them
    return head


def needs_seal(engine: Engine) -> int:
    """The number of entries from before keying that no keyed entry seals yet (no key needed)."""
    with engine.connect() as conn:
        head = conn.execute(select(audit_head.c.seq).where(audit_head.c.id == 1)).scalar_one()
        return _unsealed(conn, int(head))


def seal_legacy(engine: Engine, *, actor: str) -> int | None:
    """Seal a chain of unkeyed entries (written before keying began) with a keyed
    :data:`KEYED_ACTION` entry, whose hash covers theirs; returns its number.

    None when there is nothing to seal: an empty chain, or one that holds a keyed entry already
    (unkeyed entries after it are forgeries, which sealing must not cover: ``verify`` names
    them). ``engine`` must be :func:`keyed`.
    """
    with engine.connect() as conn, write_transaction(conn):
        head = conn.execute(
            select(audit_head.c.seq).where(audit_head.c.id == 1).with_for_update()
        ).scalar_one()
        unkeyed = _unsealed(conn, int(head))
        if not unkeyed:
            return None
        record = AuditRecord(
            actor=actor,
            action=KEYED_ACTION,
            target="audit_log",
            detail={"key": key_of(conn).key_id, "unkeyed": unkeyed},
        )
        return append(conn, [record])


class RawAuditAppender:
    """The same append on a DBAPI cursor, for the queue's prepared hot path."""

    _COLUMNS = ("seq", "at", "actor", "action", "target", "detail", "prev_hash", "hash", "key_id")

    def __init__(self, dialect: Dialect, key: AuditKey) -> None:
        self._key = key
        head = select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)
        if dialect.name == "postgresql":
            head = head.with_for_update()
        self._head = Prepared(head, dialect, (audit_head.c.seq, audit_head.c.hash))
        self._insert = Prepared(
            insert(audit_log).values({name: bindparam(name) for name in self._COLUMNS}), dialect
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
        (row,) = _chain(head["seq"], head["hash"], [record], at, self._key)
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
    #: Entries from before keying began (sealed by the keyed entry after them).
    unkeyed: int = 0

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def _stored_record(row: Any) -> AuditRecord:
    detail = row.detail if isinstance(row.detail, dict) else json.loads(row.detail)
    return AuditRecord(actor=row.actor, action=row.action, target=row.target, detail=detail)


def verify(
    engine: Engine, *, anchors: Mapping[int, str] | None = None, batch: int = 5000
) -> Verdict:
    """Walk the chain from the first entry; report the first entry that does not fit.

    ``engine`` must be :func:`keyed`. ``anchors`` are hashes kept outside the database
    (:func:`civicrpa.security.anchors.read_anchors`), checked with the database's own.
    """
    key = key_of(engine)
    marks: dict[int, str] = {}
    with engine.connect() as conn:
        marks.update({row.seq: row.hash for row in conn.execute(select(audit_anchors))})
        head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).one()
    marks.update(anchors or {})
    expected_seq, prev, count = 1, GENESIS, 0
    last_seq = unkeyed = 0
    keyed_seen = False
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
            if row.key_id is None:
                if keyed_seen:  # after keying began: plain SHA-256 is what a forger can do
                    return Verdict(entries=count, broken_at=row.seq, problem="unkeyed")
                entry_key = None
                unkeyed += 1
            elif row.key_id == key.key_id:
                entry_key, keyed_seen = key, True
            else:
                return Verdict(entries=count, broken_at=row.seq, problem="unknown_key")
            digest = entry_hash(prev, row.seq, row.at, _stored_record(row), key=entry_key)
            if not hmac.compare_digest(digest, row.hash):
                return Verdict(entries=count, broken_at=row.seq, problem="altered")
            if row.seq in marks and marks[row.seq] != digest:
                return Verdict(entries=count, broken_at=row.seq, problem="anchor_mismatch")
            prev, last_seq, count = digest, row.seq, count + 1
            expected_seq += 1
    if head.seq != last_seq or (last_seq and head.hash != prev):
        return Verdict(entries=count, broken_at=last_seq + 1, problem="truncated")
    beyond = [seq for seq in marks if seq > last_seq]
    if beyond:
        return Verdict(entries=count, broken_at=min(beyond), problem="truncated")
    if unkeyed and not keyed_seen:
        return Verdict(entries=count, broken_at=1, problem="unsealed", unkeyed=unkeyed)
    return Verdict(entries=count, unkeyed=unkeyed)


__all__ = [
    "ANCHOR_EVERY",
    "GENESIS",
    "KEYED_ACTION",
    "AuditKey",
    "AuditRecord",
    "RawAuditAppender",
    "Verdict",
    "append",
    "entry_hash",
    "key_of",
    "keyed",
    "needs_seal",
    "seal_legacy",
    "verify",
]
