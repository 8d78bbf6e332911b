"""The audit trail on the real databases: every change chained; tampering named by verify."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.exc import DBAPIError

from civicrpa.core.errors import ConfigurationError
from civicrpa.db.engine import create_engine_for
from civicrpa.queue.decisions import Decisions
from civicrpa.queue.records import NewItem
from civicrpa.queue.store import QueueStore
from civicrpa.security import audit
from civicrpa.security.anchors import AnchorPlace, export_anchor, read_anchors
from civicrpa.security.audit import ANCHOR_EVERY, AuditKey, AuditRecord
from civicrpa.security.models import audit_log

LEASE = timedelta(seconds=30)


def _work(store: QueueStore, items: int = 3) -> None:
    store.add_many(
        "q",
        [NewItem(reference=f"r{i}", payload={"i": i}) for i in range(items)],
        actor="person:kim",
    )
    while (claim := store.claim("q", process="p", worker="w1", lease=LEASE)) is not None:
        store.complete(claim, output={"ok": True})


def _entries(engine: Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.seq)).all()
    return [(row.actor, row.action, row.target) for row in rows]


def _drop_guards(engine: Engine) -> None:
    """What an attacker with the database owner's rights does first."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_every_change_is_chained_with_its_actor(store: QueueStore) -> None:
    _work(store, items=2)
    entries = _entries(store.engine)
    assert entries[:2] == [
        ("person:kim", "item.add", "work_item:1"),
        ("person:kim", "item.add", "work_item:2"),
    ]
    assert entries[2:] == [
        ("robot:w1", "item.claim", "work_item:1"),
        ("robot:w1", "item.complete", "work_item:1"),
        ("robot:w1", "item.claim", "work_item:2"),
        ("robot:w1", "item.complete", "work_item:2"),
    ]
    assert audit.verify(store.engine).intact
    assert audit.verify(store.engine).entries == 6


def test_decisions_and_lease_expiry_are_recorded(store: QueueStore) -> None:
    store.add("q", NewItem(reference="x", payload={}))
    claim = store.claim("q", process="p", worker="w1", lease=LEASE)
    assert claim is not None
    store.fail_system(claim, code="c", message="m", detail=None, retry_at=None)
    Decisions(store.engine, actor="lee").requeue(
        claim.item_id, reason="주민번호 900101-1234568 확인"
    )
    with store.engine.connect() as conn:
        row = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    assert (row.actor, row.action) == ("person:lee", "decision.requeue")
    assert row.detail["from"] == "failed"
    assert "1234568" not in row.detail["reason"]  # masked before it is chained
    assert audit.verify(store.engine).intact


def test_the_database_refuses_to_change_or_delete_entries(store: QueueStore) -> None:
    _work(store, items=1)
    for statement in (
        update(audit_log).where(audit_log.c.seq == 1).values(actor="person:nobody"),
        audit_log.delete().where(audit_log.c.seq == 1),
    ):
        with pytest.raises(DBAPIError), store.engine.begin() as conn:
            conn.execute(statement)
    assert audit.verify(store.engine).intact


@pytest.mark.parametrize(
    ("tamper", "broken_at", "problem"),
    [
        ("change", 3, "altered"),
        ("delete", 3, "missing"),
        ("delete_last", 6, "truncated"),
        ("reorder", 3, "relinked"),
    ],
)
def test_verify_names_the_first_tampered_entry(
    store: QueueStore, tamper: str, broken_at: int, problem: str
) -> None:
    _work(store, items=2)  # six entries
    _drop_guards(store.engine)
    with store.engine.begin() as conn:
        if tamper == "change":
            conn.execute(update(audit_log).where(audit_log.c.seq == 3).values(actor="robot:evil"))
        elif tamper == "delete":
            conn.execute(audit_log.delete().where(audit_log.c.seq == 3))
        elif tamper == "delete_last":
            conn.execute(audit_log.delete().where(audit_log.c.seq == 6))
        else:  # swap the contents of entries 3 and 4, keeping their numbers
            rows = {
                row.seq: row
                for row in conn.execute(select(audit_log).where(audit_log.c.seq.in_([3, 4])))
            }
            for seq, other in ((3, 4), (4, 3)):
                source = rows[other]
                conn.execute(
                    update(audit_log)
                    .where(audit_log.c.seq == seq)
                    .values(
                        at=source.at,
                        actor=source.actor,
                        action=source.action,
                        target=source.target,
                        detail=source.detail,
                        prev_hash=source.prev_hash,
                        hash=source.hash,
                    )
                )
    verdict = audit.verify(store.engine)
    assert (verdict.broken_at, verdict.problem) == (broken_at, problem)


def _rewrite_from_entry_2(engine: Engine, key: AuditKey | None) -> None:
    """Rewrite the chain consistently from entry 2 on, as a careful attacker would: with the
    audit key (the key ring leaked) or, lacking it, with plain SHA-256."""
    with engine.begin() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.seq)).all()
        prev = rows[0].hash
        for row in rows[1:]:
            actor = "robot:evil" if row.seq == 2 else row.actor
            record = AuditRecord(
                actor=actor, action=row.action, target=row.target, detail=row.detail
            )
            digest = audit.entry_hash(prev, row.seq, row.at, record, key=key)
            conn.execute(
                update(audit_log)
                .where(audit_log.c.seq == row.seq)
                .values(actor=actor, prev_hash=prev, hash=digest, key_id=key and key.key_id)
            )
            prev = digest
        conn.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})


def test_a_chain_rewritten_without_the_key_fails_even_without_anchors(store: QueueStore) -> None:
    _work(store, items=2)
    _drop_guards(store.engine)
    _rewrite_from_entry_2(store.engine, key=None)
    verdict = audit.verify(store.engine)
    assert (verdict.broken_at, verdict.problem) == (2, "unkeyed")


def test_an_anchor_outside_the_database_catches_a_rewritten_chain(
    store: QueueStore, tmp_path: Path
) -> None:
    _work(store, items=2)
    vault = AnchorPlace(path=tmp_path / "vault" / "anchors.jsonl")
    assert export_anchor(store.engine, vault).seq == 6
    _drop_guards(store.engine)
    _rewrite_from_entry_2(store.engine, key=store.sealer.audit_key)  # the ring leaked too
    assert audit.verify(store.engine).intact  # the database alone cannot tell
    verdict = audit.verify(store.engine, anchors=read_anchors(vault.path))
    assert (verdict.broken_at, verdict.problem) == (6, "anchor_mismatch")


@pytest.mark.parametrize(
    ("key_id", "problem"),
    [
        (None, "unkeyed"),  # what is left to someone without the key ring
        ("a1", "altered"),  # claims the audit key, but a plain SHA-256 is no HMAC under it
        ("a9", "unknown_key"),
    ],
)
def test_an_entry_forged_without_the_key_is_caught(
    store: QueueStore, key_id: str | None, problem: str
) -> None:
    """Someone who can write the database but not read the key ring appends an entry, hashed
    exactly as the chain was before keying: SHA-256 over the previous hash and the entry."""
    _work(store, items=1)  # entries 1-3
    at = store.now()
    forged = AuditRecord(
        actor="person:kim", action="decision.approve", target="work_item:1", detail={}
    )
    with store.engine.begin() as conn:  # no guard stands in the way of an append
        head = conn.execute(text("SELECT seq, hash FROM audit_head")).one()
        digest = audit.entry_hash(head.hash, head.seq + 1, at, forged, key=None)
        conn.execute(
            audit_log.insert().values(
                seq=head.seq + 1,
                at=at,
                actor=forged.actor,
                action=forged.action,
                target=forged.target,
                detail={},
                prev_hash=head.hash,
                hash=digest,
                key_id=key_id,
            )
        )
        conn.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": 4, "h": digest})
    verdict = audit.verify(store.engine)
    assert (verdict.broken_at, verdict.problem) == (4, problem)


#: Replacing entry 3 by an insert: each database's way of overwriting on a conflict.
_REPLACE_ENTRY_3 = {
    "sqlite": (
        "INSERT OR REPLACE INTO audit_log"
        " (seq, at, actor, action, target, detail, prev_hash, hash, key_id)"
        " SELECT seq, at, 'robot:evil', action, target, detail, prev_hash, hash, key_id"
        " FROM audit_log WHERE seq = 3"
    ),
    "postgresql": (
        "INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash, key_id)"
        " SELECT seq, at, 'robot:evil', action, target, detail, prev_hash, hash, key_id"
        " FROM audit_log WHERE seq = 3 ON CONFLICT (seq) DO UPDATE SET actor = EXCLUDED.actor"
    ),
}
_REPLACE_ANCHORS = {
    "sqlite": "INSERT OR REPLACE INTO audit_anchors (seq, hash, at)"
    " SELECT seq, 'f', at FROM audit_anchors",
    "postgresql": "INSERT INTO audit_anchors (seq, hash, at) SELECT seq, 'f', at FROM audit_anchors"
    " ON CONFLICT (seq) DO UPDATE SET hash = 'f'",
}


def test_the_database_refuses_to_replace_an_entry(store: QueueStore) -> None:
    """SQLite's REPLACE deletes the old row without firing the DELETE trigger; PostgreSQL's
    upsert turns an insert into an update. Both are refused, as are entries out of order."""
    _work(store, items=1)  # entries 1-3
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(_REPLACE_ENTRY_3[store.engine.dialect.name]))
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(  # a gap: number 9 after 3
            text(
                "INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash)"
                " SELECT 9, at, actor, action, target, detail, prev_hash, hash"
                " FROM audit_log WHERE seq = 3"
            )
        )
    assert _entries(store.engine)[2] == ("robot:w1", "item.complete", "work_item:1")
    assert audit.verify(store.engine).intact


def test_the_database_refuses_to_change_anchors(store: QueueStore) -> None:
    store.add_many("q", [NewItem(reference=f"r{i}", payload={}) for i in range(ANCHOR_EVERY)])
    replace = _REPLACE_ANCHORS[store.engine.dialect.name]
    for statement in (replace, "UPDATE audit_anchors SET hash = 'f'", "DELETE FROM audit_anchors"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))
    assert audit.verify(store.engine).intact


def test_an_engine_without_the_audit_key_cannot_append(store: QueueStore, db_url: str) -> None:
    bare = create_engine_for(db_url)
    try:
        with pytest.raises(ConfigurationError) as refused, bare.begin() as conn:
            audit.append(conn, [AuditRecord(actor="system", action="x", target="y")])
        assert refused.value.code == "security.audit_key_missing"
    finally:
        bare.dispose()
    assert audit.verify(store.engine).entries == 0


def test_anchors_are_kept_every_so_many_entries(store: QueueStore) -> None:
    items = [NewItem(reference=f"r{i}", payload={}) for i in range(ANCHOR_EVERY + 5)]
    store.add_many("q", items)
    with store.engine.connect() as conn:
        anchors = conn.execute(text("SELECT seq FROM audit_anchors")).scalars().all()
        total = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
    assert anchors == [ANCHOR_EVERY]
    assert total == ANCHOR_EVERY + 5
    assert audit.verify(store.engine, batch=300).intact


def test_concurrent_robots_keep_one_unbroken_chain(store: QueueStore) -> None:
    store.add_many("q", [NewItem(reference=f"r{i}", payload={}) for i in range(60)])

    def robot(name: str) -> None:
        while (claim := store.claim("q", process="p", worker=name, lease=LEASE)) is not None:
            store.complete(claim, output=None)

    threads = [threading.Thread(target=robot, args=(f"w{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    verdict = audit.verify(store.engine)
    assert verdict.intact
    assert verdict.entries == 60 + 120
