"""Key rotation over 100,000 encrypted items: how long adding them and rotating them takes.

``tests/integration/security/test_key_rotation.py`` proves a rotation killed part-way resumes
and loses nothing, over 30,000 items; the figures for a queue of 100,000 (each payload holding
a resident number, so each item also has its search keys) are measured here, where no machine's
load can fail a test. The rotation is ``civicrpa keys rotate`` as an administrator runs it, in
batches of ``BATCH``, on SQLite (WAL, the embedded default). The last line is the headline:
items re-encrypted per second.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from civicrpa.db import migrate
from civicrpa.db.engine import create_engine_for
from civicrpa.queue.records import NewItem
from civicrpa.queue.rekey import key_usage
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.store import QueueStore
from civicrpa.security.crypto import FieldCipher, KeyRing

ITEMS = int(os.environ.get("BENCH_ITEMS", "100000"))
BATCH = 1_000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "var"
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
        added = time.perf_counter() - started
        store.close()

        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CIVICRPA_")},
            "CIVICRPA_DATA_DIR": str(data),
            "CIVICRPA_DATABASE_URL": url,
            "CIVICRPA_KEYRING_PATH": str(keys),
        }
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "civicrpa.cli.main", "keys", "rotate", "--batch", str(BATCH)],
            env=env,
            cwd=folder,
            check=True,
            capture_output=True,
        )
        rotated = time.perf_counter() - started
        usage = key_usage(engine)
        engine.dispose()
    if usage != {"k2": ITEMS}:
        raise SystemExit(f"the rotation left {usage}")
    print(f"{ITEMS:,} items, batches of {BATCH:,}, SQLite")
    print(f"add (encrypt, search keys, insert): {added:.1f} s, {ITEMS / added:,.0f} items/s")
    print(f"civicrpa keys rotate (process start included): {rotated:.1f} s")
    print(f"key_rotation_throughput: {ITEMS / rotated:,.0f} items/s")


if __name__ == "__main__":
    main()
