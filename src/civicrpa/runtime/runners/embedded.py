"""The embedded runner: N robots as operating-system processes on this machine.

Why processes and not threads: each robot drives its own browser and may run CPU-bound steps
(spreadsheets, documents); as a process it gets a core of its own (no GIL), and a robot that
crashes, leaks memory or wedges Chromium takes only itself down. Its item comes back through the
lease, and the supervisor here starts a replacement. One robot (``workers=1``) runs in this very
process, which keeps debugging and the demo's start-up simple.

Stopping: the first SIGINT/SIGTERM asks every robot to stop; each finishes its current item or
releases it at the next step boundary. Robots still busy after ``stop_grace_seconds`` are killed;
their items return to the queue when their leases expire.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from multiprocessing.context import SpawnProcess
from types import FrameType
from typing import Any

import structlog

from civicrpa.config import Settings
from civicrpa.core.errors import ConfigurationError
from civicrpa.core.messages import render
from civicrpa.db.engine import create_engine_for
from civicrpa.queue import queries
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.states import SETTLED
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.runtime.logs import configure_logging
from civicrpa.runtime.preflight import preflight
from civicrpa.runtime.registry import load_registry
from civicrpa.runtime.runner import Progress, ProgressCallback, RunReport, RunRequest
from civicrpa.runtime.settings import ProcessSettings
from civicrpa.runtime.worker import DRAIN_HORIZON, Worker, WorkerStats
from civicrpa.security.credentials import CredentialStore
from civicrpa.security.keys import load_cipher

_MP = multiprocessing.get_context("spawn")
#: Crashed robots restarted per run before the supervisor gives up on replacing them.
MAX_RESTARTS = 20
#: A robot that dies within this many seconds of starting died "at start".
EARLY_DEATH_SECONDS = 15.0
#: Robots dying at start in a row after which none is started again: the cause is not the item.
EARLY_DEATHS_TOLERATED = 3
#: Exit code of a robot stopped by a configuration mistake (never restarted).
CONFIG_EXIT = 78  # EX_CONFIG of sysexits.h


def _build_worker(
    settings: Settings,
    names: Sequence[str],
    worker_name: str,
    stop_requested: Callable[[], bool],
    parent_pid: int | None,
) -> tuple[Worker, Callable[[], None]]:
    engine = create_engine_for(
        settings.resolved_database_url, sqlite_synchronous=settings.sqlite_synchronous
    )
    store = QueueStore(engine, sealer=PayloadSealer(load_cipher(settings)))
    registry = load_registry(settings.process_modules, builtins=settings.builtin_processes)
    worker = Worker(
        store=store,
        processes=registry.select(names),
        settings=settings,
        name=worker_name,
        artifacts=ArtifactStore(settings.artifacts_dir),
        stop_requested=stop_requested,
        parent_pid=parent_pid,
    )

    def close() -> None:
        store.close()
        engine.dispose()

    return worker, close


def _child_main(
    settings: Settings,
    names: Sequence[str],
    worker_name: str,
    stop_event: Any,
    until_empty: bool,
    parent_pid: int,
    results: Any,
) -> None:
    """Entry point of a robot process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the supervisor handles Ctrl-C for all
    signal.signal(signal.SIGTERM, lambda _s, _f: stop_event.set())
    configure_logging(level=settings.log_level, log_file=settings.logs_dir / "civicrpa.jsonl")
    worker, close = _build_worker(settings, names, worker_name, stop_event.is_set, parent_pid)
    try:
        stats = worker.run(until_empty=until_empty)
    except ConfigurationError as exc:
        # Said once by the supervisor; a restarted robot would meet the same mistake.
        results.put((worker_name, dict(worker.stats.outcomes), 0, 0, exc.message_ko))
        sys.exit(CONFIG_EXIT)  # after ``finally`` closed the store
    finally:
        close()
    results.put((worker_name, dict(stats.outcomes), stats.lease_lost, stats.database_errors, None))


class EmbeddedRunner:
    """Runs robots on this machine; see the module docstring for the design."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._stop = _MP.Event()
        self._log = structlog.get_logger().bind(runner="embedded")

    def stop(self) -> None:
        self._stop.set()

    def run(self, request: RunRequest, *, progress: ProgressCallback | None = None) -> RunReport:
        registry = load_registry(
            self.settings.process_modules, builtins=self.settings.builtin_processes
        )
        selected = registry.select(request.processes)
        queues = [p.queue for p in selected]
        self._preflight(selected)
        started = time.monotonic()
        previous = self._install_signal_handlers()
        monitor = _ProgressMonitor(self.settings, queues, progress)
        try:
            if request.workers == 1:
                report = self._run_inline(request, monitor)
            else:
                report = self._run_children(request, monitor)
        finally:
            self._restore_signal_handlers(previous)
        monitor.tick()
        monitor.close()
        return RunReport(
            outcomes=report.outcomes,
            lease_lost=report.lease_lost,
            database_errors=report.database_errors,
            crashed_workers=report.crashed_workers,
            stopped_early=self._stop.is_set() or report.problem is not None,
            seconds=time.monotonic() - started,
            problem=report.problem,
        )

    def _preflight(self, processes: Sequence[Any]) -> None:
        """Refuse to start robots for processes that are not configured (one Korean line)."""
        if not any(p.systems or p.settings is not ProcessSettings for p in processes):
            return  # nothing to check: no key ring and database to open for it
        engine = create_engine_for(self.settings.resolved_database_url)
        try:
            cipher = load_cipher(self.settings)
            preflight(processes, self.settings, CredentialStore(engine, cipher))
        finally:
            engine.dispose()

    # -- one robot in this process -----------------------------------------------------------

    def _run_inline(self, request: RunRequest, monitor: _ProgressMonitor) -> RunReport:
        worker, close = _build_worker(
            self.settings, request.processes, f"{_host()}-{os.getpid()}-1", self._stop.is_set, None
        )
        ticker = threading.Thread(target=monitor.loop, daemon=True)
        ticker.start()
        problem = None
        try:
            stats = worker.run(until_empty=request.until_empty)
        except ConfigurationError as exc:
            if worker.config_error is None:
                raise  # not ready before the first item: the command says so and exits
            stats, problem = worker.stats, exc.message_ko
        finally:
            monitor.done.set()
            ticker.join(timeout=2)
            close()
        return _report([stats], crashed=0, problem=problem)

    # -- N robot processes -------------------------------------------------------------------

    def _run_children(self, request: RunRequest, monitor: _ProgressMonitor) -> RunReport:
        results = _MP.Queue()
        children: dict[str, SpawnProcess] = {}
        started_at: dict[str, float] = {}
        problems: list[str] = []

        def start(index: int) -> None:
            name = f"{_host()}-{os.getpid()}-{index}"
            child = _MP.Process(
                target=_child_main,
                args=(
                    self.settings,
                    request.processes,
                    name,
                    self._stop,
                    request.until_empty,
                    os.getpid(),
                    results,
                ),
                name=name,
            )
            child.start()
            children[name] = child
            started_at[name] = time.monotonic()

        for index in range(1, request.workers + 1):
            start(index)
        restarts = 0
        crashed = 0
        early_deaths = 0
        next_index = request.workers + 1
        stop_deadline: float | None = None
        collected: list[WorkerStats] = []
        while children:
            monitor.tick()
            collected.extend(_drain(results, problems))
            for name, child in list(children.items()):
                if child.is_alive():
                    continue
                child.join()
                del children[name]
                if child.exitcode == 0:
                    continue
                collected.extend(_drain(results, problems))
                if child.exitcode == CONFIG_EXIT:
                    self._stop.set()  # every robot would meet the same mistake
                    continue
                crashed += 1
                self._log.error("runner.worker_crashed", worker=name, exitcode=child.exitcode)
                lived = time.monotonic() - started_at[name]
                early_deaths = early_deaths + 1 if lived < EARLY_DEATH_SECONDS else 0
                if early_deaths >= EARLY_DEATHS_TOLERATED:
                    if not problems:
                        problems.append(
                            render(
                                "runtime.robots_keep_dying",
                                {
                                    "times": early_deaths,
                                    "exitcode": child.exitcode,
                                    "log": self.settings.logs_dir / "civicrpa.jsonl",
                                },
                            )
                        )
                        self._log.error("runner.robots_keep_dying", exitcode=child.exitcode)
                    self._stop.set()
                elif not self._stop.is_set() and restarts < MAX_RESTARTS:
                    restarts += 1
                    start(next_index)
                    next_index += 1
            if self._stop.is_set():
                stop_deadline = stop_deadline or time.monotonic() + self.settings.stop_grace_seconds
                if time.monotonic() > stop_deadline:
                    for child in children.values():
                        child.kill()
            time.sleep(0.2)
        collected.extend(_drain(results, problems))
        return _report(collected, crashed=crashed, problem=problems[0] if problems else None)

    # -- signals -----------------------------------------------------------------------------

    def _install_signal_handlers(self) -> dict[int, Any]:
        if threading.current_thread() is not threading.main_thread():
            return {}

        def handler(_signum: int, _frame: FrameType | None) -> None:
            if self._stop.is_set():
                raise KeyboardInterrupt
            self._log.warning("runner.stopping", grace_seconds=self.settings.stop_grace_seconds)
            self._stop.set()

        return {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}

    @staticmethod
    def _restore_signal_handlers(previous: dict[int, Any]) -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class _ProgressMonitor:
    """Polls queue counts and feeds the progress callback."""

    def __init__(
        self, settings: Settings, queues: Sequence[str], callback: ProgressCallback | None
    ) -> None:
        self._callback = callback
        self._queues = list(queues)
        self._engine = create_engine_for(settings.resolved_database_url) if callback else None
        self.done = threading.Event()
        self._settled_at_start = (
            sum(n for state, n in self._states().items() if state in SETTLED) if callback else 0
        )

    def _states(self) -> Counter[Any]:
        assert self._engine is not None
        total: Counter[Any] = Counter()
        for queue in self._queues:
            total.update(queries.count_by_state(self._engine, queue).get(queue, Counter()))
        return total

    def tick(self) -> None:
        if self._callback is None:
            return
        assert self._engine is not None
        engine = self._engine
        later = sum(queries.not_due(engine, queue, horizon=DRAIN_HORIZON) for queue in self._queues)
        self._callback(Progress.from_counts(self._states(), self._settled_at_start, later=later))

    def loop(self) -> None:
        while not self.done.wait(0.25):
            self.tick()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def _drain(results: Any, problems: list[str]) -> list[WorkerStats]:
    collected: list[WorkerStats] = []
    while True:
        try:
            _name, outcomes, lease_lost, db_errors, problem = results.get_nowait()
        except Exception:  # noqa: BLE001 - queue.Empty from another module
            return collected
        if problem is not None and problem not in problems:
            problems.append(problem)
        collected.append(
            WorkerStats(
                outcomes=Counter(outcomes), lease_lost=lease_lost, database_errors=db_errors
            )
        )


def _report(stats: Sequence[WorkerStats], *, crashed: int, problem: str | None = None) -> RunReport:
    outcomes: Counter[str] = Counter()
    for item in stats:
        outcomes.update(item.outcomes)
    return RunReport(
        outcomes=outcomes,
        lease_lost=sum(s.lease_lost for s in stats),
        database_errors=sum(s.database_errors for s in stats),
        crashed_workers=crashed,
        problem=problem,
    )


def _host() -> str:
    return os.uname().nodename.split(".")[0]


__all__ = ["EmbeddedRunner"]
