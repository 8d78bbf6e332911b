"""Where the audit trail's anchors go, what a chain from before keying becomes, and the modes of
the files that hold the queue and its logs (readable by their owner only)."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest
import structlog
from sqlalchemy import text

from civicrpa.config import load_settings
from civicrpa.core.errors import ConfigurationError
from civicrpa.db import migrate
from civicrpa.db.engine import create_engine_for
from civicrpa.queue.records import NewItem
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.logs import configure_logging, reset_logging
from civicrpa.security import audit
from civicrpa.security.anchors import AnchorNotKept, AnchorPlace, anchor_place, export_anchor
from civicrpa.security.audit import AuditRecord
from civicrpa.security.models import audit_log


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_production_refuses_anchors_beside_the_database(tmp_path: Path) -> None:
    data = tmp_path / "var"
    production = {"environment": "production", "data_dir": data}
    with pytest.raises(ConfigurationError) as refused:
        anchor_place(load_settings(**production))
    assert refused.value.code == "security.anchor_beside_database"
    with pytest.raises(ConfigurationError):
        anchor_place(load_settings(**production, audit_anchor_path=data / "audit" / "a.jsonl"))
    elsewhere = tmp_path / "vault" / "anchors.jsonl"
    place = anchor_place(load_settings(**production, audit_anchor_path=elsewhere))
    assert place == AnchorPlace(path=elsewhere, beside_database=False)
    # Development accepts the default place, and says it is beside the database.
    assert anchor_place(load_settings(data_dir=data)).beside_database


def test_an_anchor_goes_to_a_private_file_and_to_the_command(
    store: QueueStore, tmp_path: Path
) -> None:
    store.add("q", NewItem(reference="r1", payload={}), actor="person:kim")
    received = tmp_path / "vault" / "received.jsonl"
    received.parent.mkdir()
    # A copy of the anchor sent to "another host": here a program that appends its input.
    copier = (
        sys.executable,
        "-c",
        f"import sys; open({str(received)!r}, 'a').write(sys.stdin.read())",
    )
    path = tmp_path / "anchors" / "anchors.jsonl"
    kept = export_anchor(store.engine, AnchorPlace(path=path, command=copier))
    line = json.loads(path.read_text(encoding="utf-8"))
    assert kept.seq == line["seq"] == 1
    assert kept.hash == line["hash"]
    assert json.loads(received.read_text(encoding="utf-8"))["hash"] == kept.hash
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    with pytest.raises(AnchorNotKept):
        export_anchor(
            store.engine, AnchorPlace(command=(sys.executable, "-c", "raise SystemExit(3)"))
        )


def test_a_chain_from_before_keying_is_sealed_once_and_then_verifies(
    store: QueueStore,
) -> None:
    at = store.now()
    prev = audit.GENESIS
    with store.engine.begin() as conn:  # three entries as version 0006 wrote them: unkeyed
        for seq in (1, 2, 3):
            record = AuditRecord(actor="person:kim", action="item.add", target=f"work_item:{seq}")
            digest = audit.entry_hash(prev, seq, at, record, key=None)
            conn.execute(
                audit_log.insert().values(
                    seq=seq, at=at, actor=record.actor, action=record.action,
                    target=record.target, detail={}, prev_hash=prev, hash=digest, key_id=None,
                )
            )  # fmt: skip
            prev = digest
        conn.execute(text("UPDATE audit_head SET seq = 3, hash = :h"), {"h": prev})
    assert audit.needs_seal(store.engine) == 3
    # Unsealed, the chain could have been extended by anyone: verify says so.
    assert audit.verify(store.engine).problem == "unsealed"
    sealed = audit.seal_legacy(store.engine, actor="person:admin")
    assert sealed == 4
    verdict = audit.verify(store.engine)
    assert verdict.intact
    assert verdict.unkeyed == 3
    assert verdict.entries == 4
    assert audit.needs_seal(store.engine) == 0
    assert audit.seal_legacy(store.engine, actor="person:admin") is None  # once only


def test_the_queue_database_and_its_side_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "var" / "civicrpa.db"
    engine = create_engine_for(f"sqlite:///{path}")
    try:
        migrate.upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS probe (x INTEGER)"))
            conn.execute(text("INSERT INTO probe VALUES (1)"))
        for side in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert _mode(side) == 0o600, side
        assert _mode(path.parent) == 0o700
    finally:
        engine.dispose()
    # A database an older version left readable by all is narrowed when opened.
    path.chmod(0o644)
    create_engine_for(f"sqlite:///{path}").dispose()
    assert _mode(path) == 0o600


def test_a_new_log_file_is_private(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "civicrpa.jsonl"
    configure_logging(level="INFO", log_file=log_file)
    try:
        structlog.get_logger().info("probe.line")
    finally:
        reset_logging()
    assert _mode(log_file) == 0o600
    assert _mode(log_file.parent) == 0o700
    assert "probe.line" in log_file.read_text(encoding="utf-8")
