"""Re-encrypting work items under the active key, in batches, resumable after a crash.

After a new key joins the ring (``civicrpa keys rotate``), every payload and output still
sealed under an older key (or stored before encryption) is opened and sealed again. Each batch
is its own transaction and every row is always readable: before its batch commits it is under
the old key, which stays in the ring; after, under the new one. A crash only leaves work for the
next run, which skips rows already current.

Search keys (``item_search_keys``, the blind indexes that find an item by a resident number,
account or phone: :mod:`civicrpa.queue.search_keys`) are not touched: they are keyed with the
ring's separate index key, which a rotation carries over unchanged
(:meth:`~civicrpa.security.crypto.KeyRing.with_new_key`), and the values they index do not change
when a payload is sealed again. Only replacing the index key itself would call for
:func:`civicrpa.queue.search_keys.reindex_items`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, bindparam, func, select, update

from civicrpa.db.engine import write_transaction
from civicrpa.queue.models import work_items
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.security import audit
from civicrpa.security.audit import AuditRecord
from civicrpa.security.crypto import FieldCipher


@dataclass(frozen=True, kw_only=True)
class RekeyReport:
    """How many items were looked at and how many re-encrypted."""

    scanned: int
    resealed: int
    key_id: str


def key_usage(engine: Engine) -> dict[str, int]:
    """Items by the key their payload is sealed with (``plain`` before encryption)."""
    usage: dict[str, int] = {}
    with engine.connect() as conn:
        for (stored,) in conn.execute(select(work_items.c.payload)):
            key = FieldCipher.key_id_of(stored) if isinstance(stored, str) else "plain"
            usage[key] = usage.get(key, 0) + 1
    return usage


def reencrypt_items(
    engine: Engine,
    sealer: PayloadSealer,
    *,
    actor: str,
    batch: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> RekeyReport:
    """Seal again, under the active key, every item that is not already under it."""
    with engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(work_items)).scalar_one())
    key_id = sealer.cipher.ring.active
    last_id, scanned, resealed = 0, 0, 0
    reseal = (
        update(work_items)
        .where(work_items.c.id == bindparam("item_id"))
        .values(payload=bindparam("payload"), output=bindparam("output"))
    )
    while True:
        with engine.connect() as conn, write_transaction(conn):
            rows = conn.execute(
                select(
                    work_items.c.id,
                    work_items.c.queue,
                    work_items.c.reference,
                    work_items.c.payload,
                    work_items.c.output,
                )
                .where(work_items.c.id > last_id)
                .order_by(work_items.c.id)
                .limit(batch)
            ).all()
            if not rows:
                break
            changed = []
            for row in rows:
                if sealer.is_current(row.payload) and sealer.is_current(row.output):
                    continue
                payload = sealer.open("payload", row.queue, row.reference, row.payload)
                output = sealer.open("output", row.queue, row.reference, row.output)
                changed.append(
                    {
                        "item_id": row.id,
                        "payload": sealer.seal("payload", row.queue, row.reference, payload),
                        "output": sealer.seal("output", row.queue, row.reference, output),
                    }
                )
            if changed:
                conn.execute(reseal, changed)
                audit.append(
                    conn,
                    [
                        AuditRecord(
                            actor=actor,
                            action="key.reencrypt",
                            target=f"work_items:{rows[0].id}-{rows[-1].id}",
                            detail={"key": key_id, "items": len(changed)},
                        )
                    ],
                )
        last_id = rows[-1].id
        scanned += len(rows)
        resealed += len(changed)
        if progress is not None:
            progress(scanned, total)
    return RekeyReport(scanned=scanned, resealed=resealed, key_id=key_id)


__all__ = ["RekeyReport", "key_usage", "reencrypt_items"]
