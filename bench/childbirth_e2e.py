"""Childbirth incentive end to end: applications per minute with 1 and 2 robots, in real Chromium.

The robot (:mod:`civicrpa.processes.childbirth_incentive.process`) drives the sandbox's intake,
resident registry and finance systems, as ``civicrpa demo`` does. Measured, in one run:

1. **Applications per minute**, with 1 robot and with 2 robots. Each robot count gets a fresh
   sandbox (a fresh data folder, so the same ``SIZE``-resident city and the same received
   applications every time), a fresh migrated SQLite database and key ring, and the robots'
   log-ins in the encrypted credential store. The producer downloads the intake's export and
   queues one item per received application; then the embedded runner drains the queue
   (``until_empty``; 1 robot runs inline, 2 robots are spawned processes, each launching its own
   Chromium and logging in: that start-up is part of the drain, as in production). Counted:
   items settled (successful, business exception, failed) per minute of the drain
   (``RunReport.seconds``; the wall time around ``runner.run`` is printed beside it). The later
   instalments a paid application schedules for its birth anniversaries are not due and are not
   counted. Also printed: the outcome split, system exceptions (attempts, retried or not), the
   median attempt (a run record's start to end), the span from the first attempt's start to the
   last one's end, and the 1-minute load average when the drain ended. A drain is capped at
   ``MAX_DRAIN_SECONDS`` (the runner is asked to stop and each robot finishes its current item),
   so that a loaded machine still finishes in minutes; the due items it left are printed
   (``left``) and the rate counts only what was finished.
2. **The robot's cold start**: a fresh interpreter (``sys.executable -c``) that imports the
   browser layer, opens a :class:`BrowserSession`, and opens the intake's ``/inbox`` (logging
   in). Time from the parent's launch of the process to the page being ready, ``COLD_STARTS``
   times; the median, with the child's breakdown (interpreter, imports, browser launch, log-in +
   first page).
3. **Baseline**: in each cold-start child's browser, once logged in, ``PAGE_LOADS`` bare
   ``page.goto`` of the intake inbox (``domcontentloaded``, as :meth:`Screen.open` waits). One
   application is at least ~10 page loads (open it, look the applicant up, check the payee,
   register the payment, record the decision), so the median attempt over the median page load
   says how many page loads' worth of time an application costs.

The machine's load average is printed at the start and the end: other processes share the cores.
Env overrides: ``BENCH_SIZE`` (residents), ``BENCH_ROBOTS`` (e.g. ``1,2``),
``BENCH_MAX_DRAIN_SECONDS``, ``BENCH_COLD_STARTS``, ``BENCH_PAGE_LOADS``. The last line is the
headline: applications per minute with 2 robots (target >= 60 on a 2-core machine).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from civicrpa.config import Settings, load_settings
from civicrpa.core.clock import utcnow
from civicrpa.db import migrate
from civicrpa.db.engine import create_engine_for
from civicrpa.processes.childbirth_incentive.process import PROCESS
from civicrpa.queue import queries
from civicrpa.queue.models import runs, work_items
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.states import SETTLED, ItemState
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.logs import configure_logging, reset_logging
from civicrpa.runtime.process import ProduceContext
from civicrpa.runtime.runner import RunRequest
from civicrpa.runtime.runners import create_runner
from civicrpa.sandbox.common.accounts import SANDBOX_PASSWORD
from civicrpa.sandbox.common.config import SystemConfig
from civicrpa.sandbox.resident_registry.seed import TODAY as SANDBOX_TODAY
from civicrpa.sandbox.server import Sandbox, free_port
from civicrpa.security.credentials import CredentialStore
from civicrpa.security.crypto import FieldCipher, KeyRing

#: Residents of the synthetic city: 4,000 gives 87 received applications.
SIZE = int(os.environ.get("BENCH_SIZE", "4000"))
ROBOTS = tuple(int(n) for n in os.environ.get("BENCH_ROBOTS", "1,2").split(","))
#: A drain is stopped after this long (the robots finish their current item first).
MAX_DRAIN_SECONDS = float(os.environ.get("BENCH_MAX_DRAIN_SECONDS", "120"))
COLD_STARTS = int(os.environ.get("BENCH_COLD_STARTS", "3"))
PAGE_LOADS = int(os.environ.get("BENCH_PAGE_LOADS", "15"))
SYSTEMS = ("intake", "resident_registry", "finance")
ROBOT_ACCOUNT = "robot01"
ACTOR = "bench"
#: Environment variable handing the sandbox's (public, development-only) password to the child.
_SECRET_ENV = "BENCH_SANDBOX_SECRET"

#: The cold-start child: argv = launch time (time.time()), intake URL, data folder, page loads.
CHILD = f"""
import json, os, statistics, sys, time
t0 = float(sys.argv[1])
started = time.time()
from pydantic import SecretStr
from civicrpa.config import load_settings
from civicrpa.runtime.browser import BrowserSession
from civicrpa.security.credentials import RobotCredential
imported = time.time()
settings = load_settings(data_dir=sys.argv[3], system_urls={{"intake": sys.argv[2]}})
credential = RobotCredential(
    username="{ROBOT_ACCOUNT}", secret=SecretStr(os.environ["{_SECRET_ENV}"])
)
with BrowserSession(settings, credentials=lambda _system: credential) as session:
    session.browser
    launched = time.time()
    screen = session.screen("intake")
    screen.open("/inbox", step="cold_start")
    ready = time.time()
    loads = []
    for _ in range(int(sys.argv[4])):
        before = time.perf_counter()
        screen.page.goto(sys.argv[2] + "/inbox", wait_until="domcontentloaded")
        loads.append(time.perf_counter() - before)
    if screen.on_login_page():
        raise SystemExit("the bare page loads landed on the log-in page")
print(json.dumps({{
    "total": ready - t0,
    "interpreter": started - t0,
    "imports": imported - started,
    "launch": launched - imported,
    "first_page": ready - launched,
    "page_load": statistics.median(loads),
}}))
"""


@dataclass(frozen=True, kw_only=True)
class Drain:
    """One robot count's run."""

    robots: int
    queued: int
    produce_seconds: float
    seconds: float
    wall: float
    states: dict[ItemState, int]
    #: Items due now and not settled: left over when the drain was stopped at the cap.
    left: int
    #: Later instalments, due on the birth anniversaries: not due, not counted.
    not_due: int
    stopped_early: bool
    load: float
    system_exceptions: int
    attempts: int
    median_attempt: float
    #: Median milliseconds of each step of the handler, over the attempts that ran it.
    step_ms: dict[str, float]
    span: float
    crashed: int

    @property
    def finished(self) -> int:
        return sum(n for state, n in self.states.items() if state in SETTLED)

    @property
    def per_minute(self) -> float:
        return self.finished * 60 / self.seconds

    def count(self, *states: ItemState) -> int:
        return sum(self.states.get(state, 0) for state in states)


def _start_sandbox(folder: Path, names: tuple[str, ...]) -> Sandbox:
    config = SystemConfig(data_dir=folder / "sandbox")
    ports = {name: free_port() for name in names}
    return Sandbox(config, names, ports=ports, seed_size=SIZE).start()


def _settings(folder: Path, sandbox: Sandbox) -> Settings:
    keyring = folder / "keys" / "keyring.json"
    KeyRing.generate("k1").save(keyring)
    return load_settings(
        data_dir=folder / "var",
        database_url=f"sqlite:///{folder / 'civicrpa.db'}",
        keyring_path=keyring,
        system_urls={name: system.url for name, system in sandbox.systems.items()},
        process_date=SANDBOX_TODAY,
    )


def _as_datetime(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _waiting(engine: Engine) -> tuple[int, int]:
    """Unsettled items (due within a day, due later): the ones left over, and the not due."""
    later = work_items.c.available_at > utcnow() + timedelta(days=1)
    open_states = [state.value for state in ItemState if state not in SETTLED]
    query = select(later, func.count()).where(work_items.c.state.in_(open_states)).group_by(later)
    with engine.connect() as conn:
        counts = {bool(is_later): int(n) for is_later, n in conn.execute(query)}
    return counts.get(False, 0), counts.get(True, 0)


def drain(robots: int) -> Drain:
    """Fresh sandbox and database, produce, then drain the queue with ``robots`` robots."""
    folder = Path(tempfile.mkdtemp(prefix="civicrpa-bench-e2e-"))
    sandbox = _start_sandbox(folder, SYSTEMS)
    try:
        settings = _settings(folder, sandbox)
        engine = create_engine_for(
            settings.resolved_database_url, sqlite_synchronous=settings.sqlite_synchronous
        )
        migrate.upgrade(engine)
        assert settings.keyring_path is not None
        sealer = PayloadSealer(FieldCipher(KeyRing.load(settings.keyring_path)))
        store = QueueStore(engine, sealer=sealer)
        credentials = CredentialStore(store.engine, sealer.cipher)
        for system in SYSTEMS:
            credentials.set(system, username=ROBOT_ACCOUNT, secret=SANDBOX_PASSWORD, by=ACTOR)
        configure_logging(level="INFO", log_file=settings.logs_dir / "civicrpa.jsonl")
        assert PROCESS.producer is not None
        started = time.perf_counter()
        found = list(PROCESS.producer(ProduceContext(settings=settings, credentials=credentials)))
        added = store.add_many(PROCESS.queue, found, actor=ACTOR)
        produce_seconds = time.perf_counter() - started
        since = utcnow()
        runner = create_runner(settings)
        cap = threading.Timer(MAX_DRAIN_SECONDS, runner.stop)
        cap.daemon = True
        request = RunRequest(processes=(PROCESS.name,), workers=robots, until_empty=True)
        started = time.perf_counter()
        cap.start()
        try:
            report = runner.run(request)
        finally:
            cap.cancel()
        wall = time.perf_counter() - started
        load = os.getloadavg()[0]
        reset_logging()
        summary = queries.summarize(engine, PROCESS.queue, since=since)
        with engine.connect() as conn:
            rows = conn.execute(select(runs.c.started_at, runs.c.ended_at, runs.c.steps)).all()
        ended = [(_as_datetime(a), _as_datetime(b)) for a, b, _ in rows if b is not None]
        step_times: dict[str, list[float]] = {}
        for *_times, steps in rows:
            for step in steps or []:
                step_times.setdefault(str(step["name"]), []).append(float(step["ms"]))
        durations = [(end - start).total_seconds() for start, end in ended]
        span = (max(e for _, e in ended) - min(s for s, _ in ended)).total_seconds()
        left, not_due = _waiting(engine)
        store.close()
        engine.dispose()
        return Drain(
            robots=robots,
            queued=len(added.added),
            produce_seconds=produce_seconds,
            seconds=report.seconds,
            wall=wall,
            states=dict(summary.states),
            left=left,
            not_due=not_due,
            stopped_early=report.stopped_early,
            load=load,
            system_exceptions=summary.system_exceptions,
            attempts=summary.attempts,
            median_attempt=statistics.median(durations),
            step_ms={name: statistics.median(ms) for name, ms in step_times.items()},
            span=span,
            crashed=report.crashed_workers,
        )
    finally:
        reset_logging()
        sandbox.stop()
        shutil.rmtree(folder, ignore_errors=True)


def cold_starts() -> list[dict[str, float]]:
    """``COLD_STARTS`` fresh robot interpreters against a fresh intake; their JSON lines."""
    folder = Path(tempfile.mkdtemp(prefix="civicrpa-bench-cold-"))
    sandbox = _start_sandbox(folder, ("intake",))
    env = {**os.environ, _SECRET_ENV: SANDBOX_PASSWORD}
    results = []
    try:
        url = sandbox.systems["intake"].url
        for number in range(COLD_STARTS):
            data = folder / f"child{number}"
            launched = time.time()
            done = subprocess.run(
                [sys.executable, "-c", CHILD, repr(launched), url, str(data), str(PAGE_LOADS)],
                capture_output=True,
                text=True,
                env=env,
                check=False,
                timeout=120,
            )
            if done.returncode != 0:
                raise SystemExit(f"cold start {number} failed:\n{done.stderr[-2000:]}")
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    finally:
        sandbox.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return results


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min) on {os.cpu_count()} cores"


def main() -> None:
    print(f"load average at start: {_load()}", flush=True)
    print(
        f"city: {SIZE:,} residents; robots {', '.join(map(str, ROBOTS))}; "
        f"{COLD_STARTS} cold starts; {PAGE_LOADS} bare page loads each",
        flush=True,
    )
    colds = cold_starts()
    results = [drain(robots) for robots in ROBOTS]
    median = {key: statistics.median(c[key] for c in colds) for key in colds[0]}

    print()
    print(
        f"{'robots':>6}{'items':>6}{'done':>5}{'ok':>4}{'biz':>4}{'fail':>5}{'review':>7}"
        f"{'sysexc':>7}{'left':>5}{'later':>6}{'produce s':>10}{'drain s':>8}{'wall s':>7}"
        f"{'span s':>7}{'attempt s':>10}{'load':>6}{'apm':>6}"
    )
    for r in results:
        print(
            f"{r.robots:>5}{'*' if r.stopped_early else ' '}{r.queued:>6}{r.finished:>5}"
            f"{r.count(ItemState.SUCCESSFUL):>4}{r.count(ItemState.BUSINESS_EXCEPTION):>4}"
            f"{r.count(ItemState.FAILED, ItemState.ABANDONED):>5}"
            f"{r.count(ItemState.NEEDS_REVIEW):>7}{r.system_exceptions:>7}{r.left:>5}"
            f"{r.not_due:>6}{r.produce_seconds:>10.1f}{r.seconds:>8.1f}{r.wall:>7.1f}"
            f"{r.span:>7.1f}{r.median_attempt:>10.2f}{r.load:>6.1f}{r.per_minute:>6.1f}"
        )
        if r.crashed:
            print(f"       ({r.crashed} robot process(es) crashed and were replaced)")
    print(
        "  done = settled (ok + biz + fail + review); sysexc = attempts ending in a system\n"
        "  exception; left = due, not done; later = instalments scheduled for the birth\n"
        "  anniversaries (not due, not counted); drain s = RunReport.seconds, robot start-up\n"
        "  included; attempt s = median run record; load = 1-min load average at the end;\n"
        "  apm = done per minute of the drain"
    )
    if any(r.stopped_early for r in results):
        print(f"  * stopped at the {MAX_DRAIN_SECONDS:.0f} s cap (BENCH_MAX_DRAIN_SECONDS)")
    print("  median step ms (attempts that ran the step):")
    for r in results:
        steps = ", ".join(f"{name} {ms:.0f}" for name, ms in r.step_ms.items())
        print(f"    {r.robots} robot(s): {steps}")
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(
            f"  scaling {first.robots} -> {last.robots} robots: "
            f"{last.per_minute / first.per_minute:.2f} x"
        )

    print()
    print(f"cold start, launch to first page ready ({COLD_STARTS} runs, seconds):")
    print(f"{'':<10}{'total':>8}{'interp':>8}{'imports':>9}{'launch':>8}{'login+page':>11}")
    rows = [(f"run {i + 1}", c) for i, c in enumerate(colds)] + [("median", median)]
    for name, c in rows:
        print(
            f"{name:<10}{c['total']:>8.2f}{c['interpreter']:>8.2f}{c['imports']:>9.2f}"
            f"{c['launch']:>8.2f}{c['first_page']:>11.2f}"
        )

    page_load = median["page_load"]
    per_app = results[0].median_attempt
    print()
    print(f"bare page.goto of the intake inbox, logged in (median): {page_load * 1000:.1f} ms")
    print(
        f"page loads per application ≈ {per_app:.2f} s / {page_load * 1000:.1f} ms "
        f"= {per_app / page_load:.0f} (median attempt, {results[0].robots} robot; "
        f"the browser work is >= ~10 page loads)"
    )
    print(f"load average at end: {_load()}")
    two = next((r for r in results if r.robots == 2), results[-1])
    print(f"applications_per_minute_{two.robots}_robots: {two.per_minute:.1f} apm")


if __name__ == "__main__":
    main()
