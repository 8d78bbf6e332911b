"""Queue throughput: the runtime against bare SQL doing the same database work, in one run.

For SQLite (WAL, synchronous=NORMAL, the embedded default) and PostgreSQL (the service at
127.0.0.1:5432), it prints items per second for:

- ``add``: bulk add through ``QueueStore.add_many``;
- ``runtime``: claim + complete with an empty process, through the real ``Worker`` (JSON logs
  to a file, heartbeat thread, run records), with 1 and 4 robots (4 robots = the embedded
  runner's 4 processes);
- ``raw``: the same claim, run-record, completion and audit-trail statements (each change
  appends a hash-chained entry), written as bare SQL on the bare driver (``sqlite3`` /
  ``psycopg``) in a loop, with 1 and 4 processes.

Throughput counts from the first run's start to the last run's end, as recorded in the database,
so process start-up is left out of both. Each configuration runs ``ROUNDS`` times, alternating
runtime and raw; the median is reported. The last line is the headline: the runtime's cost per
item over the raw baseline's, SQLite, one robot.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import secrets
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import create_engine, func, select, text

from civicrpa.config import load_settings
from civicrpa.db import migrate
from civicrpa.db.engine import create_engine_for
from civicrpa.queue.models import runs
from civicrpa.queue.records import NewItem
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.runtime.logs import configure_logging, reset_logging
from civicrpa.runtime.registry import load_registry
from civicrpa.runtime.runner import RunRequest
from civicrpa.runtime.runners.embedded import EmbeddedRunner
from civicrpa.runtime.worker import Worker
from civicrpa.security.crypto import FieldCipher, KeyRing

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
ITEMS = {"sqlite": 4000, "postgresql": 3000}
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
QUEUE = "bench_empty"
LEASE = timedelta(seconds=60)

_SQLITE_CLAIM = """
UPDATE work_items SET state='in_progress', attempts=attempts+1, lease_owner=?, lease_token=?,
    lease_expires_at=?, updated_at=?
WHERE id = (SELECT id FROM work_items
            WHERE queue=? AND state IN ('deferred', 'new', 'retried') AND available_at <= ?
            ORDER BY priority DESC, deadline, id LIMIT 1)
RETURNING id, reference, payload, attempts"""
_SQLITE_RUN = """INSERT INTO runs (item_id, attempt, process, worker, started_at)
VALUES (?, ?, ?, ?, ?) RETURNING id"""
_SQLITE_COMPLETE = """
UPDATE work_items SET state='successful', lease_owner=NULL, lease_token=NULL,
    lease_expires_at=NULL, updated_at=?, output=?, finished_at=?, failure_kind=NULL,
    failure_code=NULL, failure_message=NULL
WHERE id=? AND lease_token=? AND state='in_progress'"""
_SQLITE_END_RUN = """UPDATE runs SET ended_at=?, outcome='successful', steps=?, error_code=NULL,
    error_detail=NULL WHERE id=?"""
# The audit trail entry each change appends (civicrpa.security.audit): read the head, insert the
# chained entry, move the head.
_SQLITE_HEAD = "SELECT seq, hash FROM audit_head WHERE id = 1"
_SQLITE_AUDIT = """INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)"""
_SQLITE_MOVE_HEAD = "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"
_PG = {
    name: sql.replace("?", "%s")
    for name, sql in {
        "claim": _SQLITE_CLAIM.replace("LIMIT 1)", "LIMIT 1 FOR UPDATE SKIP LOCKED)"),
        "run": _SQLITE_RUN,
        "complete": _SQLITE_COMPLETE,
        "end_run": _SQLITE_END_RUN,
        "head": _SQLITE_HEAD + " FOR UPDATE",
        "audit": _SQLITE_AUDIT,
        "move_head": _SQLITE_MOVE_HEAD,
    }.items()
}


def _audit_row(
    head: tuple[int, str],
    at: datetime,
    actor: str,
    action: str,
    target: str,
    detail: dict[str, object],
) -> tuple[int, str, str]:
    """The next entry's number, its detail as JSON, and its chained hash."""
    seq = head[0] + 1
    body = json.dumps(
        {
            "seq": seq,
            "at": at.isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "target": target,
            "detail": detail,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    digest = hashlib.sha256(head[1].encode() + b"\n" + body.encode()).hexdigest()
    return seq, json.dumps(detail), digest


def _ts(moment: datetime) -> str:
    return moment.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def raw_sqlite_loop(path: str, worker: str) -> None:
    """The baseline robot on SQLite: bare ``sqlite3``, the same statements, nothing else."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=30000")
    while True:
        now = datetime.now(UTC)
        token = secrets.token_hex(16)
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute(
            _SQLITE_CLAIM, (worker, token, _ts(now + LEASE), _ts(now), QUEUE, _ts(now))
        ).fetchone()
        if row is None:
            conn.execute("COMMIT")
            break
        json.loads(row[2])
        run_id = conn.execute(_SQLITE_RUN, (row[0], row[3], QUEUE, worker, _ts(now))).fetchone()[0]
        _sqlite_audit(
            conn,
            now,
            f"robot:{worker}",
            "item.claim",
            f"work_item:{row[0]}",
            {"queue": QUEUE, "attempt": row[3], "run": run_id},
        )
        conn.execute("COMMIT")
        done = datetime.now(UTC)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(_SQLITE_COMPLETE, (_ts(done), "null", _ts(done), row[0], token))
        conn.execute(_SQLITE_END_RUN, (_ts(done), "[]", run_id))
        _sqlite_audit(
            conn,
            done,
            f"robot:{worker}",
            "item.complete",
            f"work_item:{row[0]}",
            {"state": "successful", "run": run_id, "code": None},
        )
        conn.execute("COMMIT")
    conn.close()


def _sqlite_audit(
    conn: sqlite3.Connection,
    at: datetime,
    actor: str,
    action: str,
    target: str,
    detail: dict[str, object],
) -> None:
    head = conn.execute(_SQLITE_HEAD).fetchone()
    seq, detail_json, digest = _audit_row(head, at, actor, action, target, detail)
    conn.execute(_SQLITE_AUDIT, (seq, _ts(at), actor, action, target, detail_json, head[1], digest))
    conn.execute(_SQLITE_MOVE_HEAD, (seq, digest))


def _pg_audit(
    cur: psycopg.Cursor[Any],
    at: datetime,
    actor: str,
    action: str,
    target: str,
    detail: dict[str, object],
) -> None:
    cur.execute(_PG["head"])
    head = cur.fetchone()
    assert head is not None
    seq, detail_json, digest = _audit_row(head, at, actor, action, target, detail)
    cur.execute(_PG["audit"], (seq, at, actor, action, target, detail_json, head[1], digest))
    cur.execute(_PG["move_head"], (seq, digest))


def raw_pg_loop(dsn: str, worker: str) -> None:
    """The baseline robot on PostgreSQL: bare ``psycopg``, the same statements, nothing else."""
    with psycopg.connect(dsn) as conn:
        while True:
            now = datetime.now(UTC)
            token = secrets.token_hex(16)
            with conn.cursor() as cur:
                cur.execute(_PG["claim"], (worker, token, now + LEASE, now, QUEUE, now))
                row = cur.fetchone()
                if row is None:
                    conn.commit()
                    break
                cur.execute(_PG["run"], (row[0], row[3], QUEUE, worker, now))
                fetched = cur.fetchone()
                assert fetched is not None
                run_id = fetched[0]
                _pg_audit(
                    cur,
                    now,
                    f"robot:{worker}",
                    "item.claim",
                    f"work_item:{row[0]}",
                    {"queue": QUEUE, "attempt": row[3], "run": run_id},
                )
            conn.commit()
            done = datetime.now(UTC)
            with conn.cursor() as cur:
                cur.execute(_PG["complete"], (done, "null", done, row[0], token))
                cur.execute(_PG["end_run"], (done, "[]", run_id))
                _pg_audit(
                    cur,
                    done,
                    f"robot:{worker}",
                    "item.complete",
                    f"work_item:{row[0]}",
                    {"state": "successful", "run": run_id, "code": None},
                )
            conn.commit()


class Database:
    """A fresh, migrated database per measurement."""

    def __init__(self, kind: str, workdir: Path) -> None:
        self.kind = kind
        self.workdir = workdir
        self.schema = ""
        if kind == "sqlite":
            self.path = workdir / f"{uuid.uuid4().hex}.db"
            self.url = f"sqlite:///{self.path}"
        else:
            self.schema = f"bench_{uuid.uuid4().hex[:10]}"
            _admin(f'CREATE SCHEMA "{self.schema}"')
            self.url = f"{PG_ADMIN}?options=-csearch_path%3D{self.schema}"
        engine = create_engine_for(self.url)
        migrate.upgrade(engine)
        engine.dispose()

    @property
    def dsn(self) -> str:
        return f"host=127.0.0.1 port=5432 dbname=test user=postgres options=-csearch_path={self.schema}"

    def drop(self) -> None:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        else:
            _admin(f'DROP SCHEMA "{self.schema}" CASCADE')


def _admin(sql: str) -> None:
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def _sealer(workdir: Path) -> PayloadSealer:
    """The run's key ring (payloads are encrypted at rest, as in production)."""
    path = workdir / "keys" / "keyring.json"
    if not path.exists():
        KeyRing.generate("k1").save(path)
    return PayloadSealer(FieldCipher(KeyRing.load(path)))


def _seed(db: Database, count: int) -> float:
    engine = create_engine_for(db.url)
    store = QueueStore(engine, sealer=_sealer(db.workdir))
    items = [NewItem(reference=f"b-{i:06d}", payload={"i": i}) for i in range(count)]
    started = time.perf_counter()
    store.add_many(QUEUE, items)
    elapsed = time.perf_counter() - started
    store.close()
    engine.dispose()
    return count / elapsed


def _span_rate(db: Database, count: int) -> float:
    """Items per second between the first run's start and the last run's end."""
    engine = create_engine_for(db.url)
    with engine.connect() as conn:
        first, last, n = conn.execute(
            select(func.min(runs.c.started_at), func.max(runs.c.ended_at), func.count())
        ).one()
    engine.dispose()
    assert n == count, f"expected {count} runs, found {n}"
    first_dt = datetime.fromisoformat(str(first)) if isinstance(first, str) else first
    last_dt = datetime.fromisoformat(str(last)) if isinstance(last, str) else last
    return count / max((last_dt - first_dt).total_seconds(), 1e-9)


def run_runtime(db: Database, workers: int, workdir: Path) -> float:
    settings = load_settings(
        database_url=db.url,
        data_dir=workdir / "var",
        process_modules=["bench.processes"],
        keyring_path=workdir / "keys" / "keyring.json",
        idle_poll_seconds=0.05,
    )
    if workers == 1:
        configure_logging(level="INFO", log_file=settings.logs_dir / "civicrpa.jsonl")
        engine = create_engine_for(db.url)
        store = QueueStore(engine, sealer=_sealer(workdir))
        worker = Worker(
            store=store,
            processes=list(load_registry(settings.process_modules)),
            settings=settings,
            name="bench-1",
            artifacts=ArtifactStore(settings.artifacts_dir),
        )
        worker.run(until_empty=True)
        store.close()
        engine.dispose()
        reset_logging()
    else:
        EmbeddedRunner(settings).run(
            RunRequest(processes=("bench_empty",), workers=workers, until_empty=True)
        )
    return _span_rate(db, ITEMS[db.kind])


def run_raw(db: Database, workers: int) -> float:
    target: Callable[..., None]
    target, where = (
        (raw_sqlite_loop, str(db.path)) if db.kind == "sqlite" else (raw_pg_loop, db.dsn)
    )
    if workers == 1:
        target(where, "raw-1")
    else:
        ctx = multiprocessing.get_context("spawn")
        procs = [ctx.Process(target=target, args=(where, f"raw-{i}")) for i in range(workers)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join()
    return _span_rate(db, ITEMS[db.kind])


def measure(kind: str, workers: int, workdir: Path) -> tuple[float, float, float]:
    """Median items/s of (add, runtime, raw) over ``ROUNDS`` alternating rounds."""
    adds, runtime, raw = [], [], []
    for _ in range(ROUNDS):
        for mode in ("runtime", "raw"):
            db = Database(kind, workdir)
            try:
                rate = _seed(db, ITEMS[kind])
                if mode == "runtime":
                    adds.append(rate)
                    runtime.append(run_runtime(db, workers, workdir))
                else:
                    raw.append(run_raw(db, workers))
            finally:
                db.drop()
    return statistics.median(adds), statistics.median(runtime), statistics.median(raw)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("PYTHONPATH", str(Path(__file__).resolve().parents[1]))
    workdir = Path(tempfile.mkdtemp(prefix="civicrpa-bench-"))
    results: dict[tuple[str, int], tuple[float, float, float]] = {}
    try:
        print(
            f"{'database':<11}{'robots':>7}{'add/s':>10}{'runtime/s':>11}{'raw/s':>10}"
            f"{'runtime µs':>12}{'raw µs':>9}{'ratio':>7}"
        )
        for kind in ("sqlite", "postgresql"):
            for workers in (1, 4):
                add, rt, raw = results[(kind, workers)] = measure(kind, workers, workdir)
                print(
                    f"{kind:<11}{workers:>7}{add:>10,.0f}{rt:>11,.0f}{raw:>10,.0f}"
                    f"{1e6 / rt:>12,.0f}{1e6 / raw:>9,.0f}{raw / rt:>7.2f}",
                    flush=True,
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    _add, rt, raw = results[("sqlite", 1)]
    print(f"targets: ratio <= 1.30 x, SQLite 1 robot >= 1,000 items/s (measured {rt:,.0f})")
    print(f"runtime_over_raw: {raw / rt:.2f} x")


if __name__ == "__main__":
    main()
