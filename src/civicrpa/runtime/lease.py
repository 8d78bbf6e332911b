"""The lease keeper: a robot's heartbeat thread.

While a handler works on an item, this thread extends the item's lease every third of the lease
time. If an extension fails (the lease ran out while the robot was frozen, and the item went to
another robot) it raises the ``lost`` flag, which ``ctx.ensure_lease()`` checks before
irreversible actions and which makes the store refuse the robot's result. It also watches the
robot's parent: a worker whose supervisor died (killed with SIGKILL) exits instead of lingering.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from civicrpa.queue.records import Claim
from civicrpa.queue.store import QueueStore


class LeaseKeeper:
    """Heartbeats the item being worked on; one per robot."""

    def __init__(
        self,
        store: QueueStore,
        *,
        tick_seconds: float = 1.0,
        parent_pid: int | None = None,
        on_orphaned: Callable[[], None] | None = None,
    ) -> None:
        self._store = store
        self._tick = tick_seconds
        self._parent_pid = parent_pid
        self._on_orphaned = on_orphaned or (lambda: os._exit(70))
        self._claim: Claim | None = None
        self._lease = timedelta(seconds=60)
        self._next_beat = 0.0
        self._lost = False
        self._failed_beats = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="lease-keeper", daemon=True)
        self._clock = time.monotonic

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def watch(self, claim: Claim, lease: timedelta) -> None:
        """Keep ``claim``'s lease alive until :meth:`unwatch`."""
        self._lost = False
        self._lease = lease
        self._next_beat = self._clock() + lease.total_seconds() / 3
        self._claim = claim

    def unwatch(self) -> None:
        self._claim = None

    @property
    def lost(self) -> bool:
        """True when the current claim's lease could not be extended."""
        return self._lost

    def _loop(self) -> None:
        while not self._stop.wait(self._tick):
            if self._parent_pid is not None and os.getppid() != self._parent_pid:
                self._on_orphaned()
                return
            claim = self._claim
            if claim is None or self._clock() < self._next_beat:
                continue
            try:
                alive = self._store.heartbeat(claim, self._lease)
            except Exception:  # noqa: BLE001 - a failed beat is retried next tick
                self._failed_beats += 1
                continue
            if claim is self._claim:
                self._next_beat = self._clock() + self._lease.total_seconds() / 3
                if not alive:
                    self._lost = True


__all__ = ["LeaseKeeper"]
