"""Payloads at rest: encrypted, bound to their item, re-encrypted by key rotation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from civicrpa.queue import queries
from civicrpa.queue.models import work_items
from civicrpa.queue.records import NewItem
from civicrpa.queue.rekey import key_usage, reencrypt_items
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.store import QueueStore
from civicrpa.security import audit
from civicrpa.security.crypto import FieldCipher, KeyRing

RRN = "900101-1234568"
ACCOUNT = "302-1234-5678-91"


def test_payloads_are_ciphertext_in_the_database(store: QueueStore) -> None:
    store.add("q", NewItem(reference="A-1", payload={"rrn": RRN, "account": ACCOUNT}))
    with store.engine.connect() as conn:
        stored = conn.execute(select(work_items.c.payload)).scalar_one()
    assert isinstance(stored, str)
    assert stored.startswith("v1.k1.")
    assert "1234568" not in stored
    item = queries.get_item(store.engine, 1, sealer=store.sealer)
    assert item.payload == {"rrn": RRN, "account": ACCOUNT}
    assert queries.get_item(store.engine, 1).payload is None  # listings never decrypt


def test_no_resident_number_anywhere_in_the_sqlite_file(sqlite_store: QueueStore) -> None:
    sqlite_store.add_many(
        "q", [NewItem(reference=f"A-{i}", payload={"rrn": RRN, "n": i}) for i in range(50)]
    )
    claim = sqlite_store.claim("q", process="p", worker="w", lease=timedelta(seconds=30))
    assert claim is not None
    sqlite_store.complete(claim, output={"account": ACCOUNT})
    sqlite_store.engine.dispose()
    database = Path(str(sqlite_store.engine.url.database))
    raw = b"".join(
        path.read_bytes() for path in database.parent.glob(database.name + "*") if path.is_file()
    )
    for secret in (RRN, RRN.replace("-", ""), ACCOUNT, "1234568"):
        assert secret.encode() not in raw


def test_rotation_reseals_old_and_plain_payloads(store: QueueStore) -> None:
    store.add_many("q", [NewItem(reference=f"r{i}", payload={"i": i}) for i in range(25)])
    with store.engine.begin() as conn:  # one written before encryption existed
        conn.execute(
            update(work_items).where(work_items.c.reference == "r0").values(payload={"i": 0})
        )
    assert key_usage(store.engine) == {"k1": 24, "plain": 1}
    rotated = PayloadSealer(FieldCipher(store.sealer.cipher.ring.with_new_key("k2")))
    report = reencrypt_items(store.engine, rotated, actor="person:admin", batch=10)
    assert (report.scanned, report.resealed, report.key_id) == (25, 25, "k2")
    assert key_usage(store.engine) == {"k2": 25}
    again = reencrypt_items(store.engine, rotated, actor="person:admin", batch=10)
    assert again.resealed == 0
    for i in range(25):
        item_id = store.find("q", f"r{i}")
        assert item_id is not None
        assert queries.get_item(store.engine, item_id, sealer=rotated).payload == {"i": i}
    assert audit.verify(store.engine).intact


def test_old_ring_cannot_read_after_rotation_but_new_ring_reads_old(store: QueueStore) -> None:
    store.add("q", NewItem(reference="x", payload={"v": 1}))
    ring = store.sealer.cipher.ring
    assert isinstance(ring, KeyRing)
    newer = PayloadSealer(FieldCipher(ring.with_new_key("k2")))
    assert queries.get_item(store.engine, 1, sealer=newer).payload == {"v": 1}
