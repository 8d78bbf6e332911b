"""Key rotation killed part-way: resumable, nothing unreadable.

Over 30,000 encrypted items in 120 batches, killed once 30 batches are done: the same rotation
as over 100,000 in batches of 1,000, in a third of the time (how fast a rotation of 100,000
goes is ``bench/key_rotation.py``'s to say).
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from civicrpa.db import migrate
from civicrpa.db.engine import create_engine_for
from civicrpa.queue import queries
from civicrpa.queue.records import NewItem
from civicrpa.queue.rekey import key_usage
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.store import QueueStore
from civicrpa.security import audit
from civicrpa.security.crypto import FieldCipher, KeyRing
from civicrpa.security.models import audit_log
from tests.support.cli import civicrpa, cli_env, start_civicrpa, wait_for

ITEMS = 30_000
BATCH = 250
#: Batches done when the rotation is killed (of ITEMS // BATCH = 120).
KILLED_AFTER = 30


def _reencrypted_batches(url: str) -> int:
    engine = create_engine_for(url)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    select(func.count()).where(audit_log.c.action == "key.reencrypt")
                ).scalar_one()
            )
    finally:
        engine.dispose()


@pytest.mark.slow
def test_rotation_killed_half_way_resumes_and_loses_nothing(tmp_path: Path) -> None:
    data = tmp_path / "var"
    url = f"sqlite:///{data / 'civicrpa.db'}"
    keys = data / "keys" / "keyring.json"
    KeyRing.generate("k1").save(keys)
    engine = create_engine_for(url)
    migrate.upgrade(engine)
    store = QueueStore(engine, sealer=PayloadSealer(FieldCipher(KeyRing.load(keys))))
    started = time.perf_counter()
    store.add_many(
        "q",
        [
            NewItem(reference=f"r{i:06d}", payload={"n": i, "rrn": "900101-1234568"})
            for i in range(ITEMS)
        ],
    )
    print(f"added {ITEMS:,} encrypted items in {time.perf_counter() - started:.1f} s")
    store.close()
    engine.dispose()

    env = cli_env(
        {
            "CIVICRPA_DATA_DIR": str(data),
            "CIVICRPA_DATABASE_URL": url,
            "CIVICRPA_KEYRING_PATH": str(keys),
        }
    )
    rotation = start_civicrpa("keys", "rotate", "--batch", str(BATCH), env=env, cwd=tmp_path)
    try:
        wait_for(
            lambda: _reencrypted_batches(url) >= KILLED_AFTER,
            timeout=120,
            what="rotation to start",
        )
        rotation.send_signal(signal.SIGKILL)
        rotation.wait(timeout=10)
    finally:
        if rotation.poll() is None:
            rotation.kill()
        rotation.communicate()

    engine = create_engine_for(url)
    usage = key_usage(engine)
    assert set(usage) == {"k1", "k2"}  # killed in the middle: both keys in use
    assert usage["k2"] >= KILLED_AFTER * BATCH
    assert sum(usage.values()) == ITEMS
    ring = KeyRing.load(keys)
    assert ring.active == "k2"
    sealer = PayloadSealer(FieldCipher(ring))
    for item_id in (1, KILLED_AFTER * BATCH - 1_000, ITEMS // 2, ITEMS):  # either key
        item = queries.get_item(engine, item_id, sealer=sealer)
        assert item.payload == {"n": item_id - 1, "rrn": "900101-1234568"}

    resumed = civicrpa("keys", "reencrypt", "--batch", "5000", env=env, cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert key_usage(engine) == {"k2": ITEMS}
    for item_id in (1, ITEMS // 2, ITEMS):
        item = queries.get_item(engine, item_id, sealer=sealer)
        assert item.payload == {"n": item_id - 1, "rrn": "900101-1234568"}
    assert audit.verify(audit.keyed(engine, sealer.audit_key)).intact
    engine.dispose()
