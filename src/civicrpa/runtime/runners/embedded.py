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
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from multiprocessing.context import SpawnProcess
from types import FrameType
from typing import Any

import structlog

from civicrpa.config import Settings
from civicrpa.db.engine import create_engine_for
from civicrpa.queue import queries
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.states import SETTLED
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.runtime.logs import configure_logging
from civicrpa.runtime.registry import load_registry
from civicrpa.runtime.runner import Progress, ProgressCallback, RunReport, RunRequest
from civicrpa.runtime.worker import DRAIN_HORIZON, Worker, WorkerStats
from civicrpa.security.keys import load_cipher

_MP = multiprocessing.get_context("spawn")
#: Crashed robots restarted per run before the supervisor gives up on replacing them.
MAX_RESTARTS = 20


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
    registry = load_registry(settings.process_modules)
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
    finally:
        close()
    results.put((worker_name, dict(stats.outcomes), stats.lease_lost, stats.database_errors))


class EmbeddedRunner:
    """Runs robots on this machine; see the module docstring for the design."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._stop = _MP.Event()
        self._log = structlog.get_logger().bind(runner="embedded")

    def stop(self) -> None:
        self._stop.set()

    def run(self, request: RunRequest, *, progress: ProgressCallback | None = None) -> RunReport:
        registry = load_registry(self.settings.process_modules)
        queues = [p.queue for p in registry.select(request.processes)]
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
            stopped_early=self._stop.is_set(),
            seconds=time.monotonic() - started,
        )

    # -- one robot in this process -----------------------------------------------------------

    def _run_inline(self, request: RunRequest, monitor: _ProgressMonitor) -> RunReport:
        worker, close = _build_worker(
            self.settings, request.processes, f"{_host()}-{os.getpid()}-1", self._stop.is_set, None
        )
        ticker = threading.Thread(target=monitor.loop, daemon=True)
        ticker.start()
        try:
            stats = worker.run(until_empty=request.until_empty)
        finally:
            monitor.done.set()
            ticker.join(timeout=2)
            close()
        return _report([stats], crashed=0)

    # -- N robot processes -------------------------------------------------------------------

    def _run_children(self, request: RunRequest, monitor: _ProgressMonitor) -> RunReport:
        results = _MP.Queue()
        children: dict[str, SpawnProcess] = {}

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

        for index in range(1, request.workers + 1):
            start(index)
        restarts = 0
        crashed = 0
        next_index = request.workers + 1
        stop_deadline: float | None = None
        collected: list[WorkerStats] = []
        while children:
            monitor.tick()
            collected.extend(_drain(results))
            for name, child in list(children.items()):
                if child.is_alive():
                    continue
                child.join()
                del children[name]
                if child.exitcode != 0:
                    crashed += 1
                    self._log.error("runner.worker_crashed", worker=name, exitcode=child.exitcode)
                    if not self._stop.is_set() and restarts < MAX_RESTARTS:
                        restarts += 1
                        start(next_index)
                        next_index += 1
            if self._stop.is_set():
                stop_deadline = stop_deadline or time.monotonic() + self.settings.stop_grace_seconds
                if time.monotonic() > stop_deadline:
                    for child in children.values():
                        child.kill()
            time.sleep(0.2)
        collected.extend(_drain(results))
        return _report(collected, crashed=crashed)

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


def _drain(results: Any) -> list[WorkerStats]:
    collected: list[WorkerStats] = []
    while True:
        try:
            _name, outcomes, lease_lost, db_errors = results.get_nowait()
        except Exception:  # noqa: BLE001 - queue.Empty from another module
            return collected
        collected.append(
            WorkerStats(
                outcomes=Counter(outcomes), lease_lost=lease_lost, database_errors=db_errors
            )
        )


def _report(stats: Sequence[WorkerStats], *, crashed: int) -> RunReport:
    outcomes: Counter[str] = Counter()
    for item in stats:
        outcomes.update(item.outcomes)
    return RunReport(
        outcomes=outcomes,
        lease_lost=sum(s.lease_lost for s in stats),
        database_errors=sum(s.database_errors for s in stats),
        crashed_workers=crashed,
    )


def _host() -> str:
    return os.uname().nodename.split(".")[0]


__all__ = ["EmbeddedRunner"]
