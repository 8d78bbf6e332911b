"""The port every runner implements: run processes' queues with N robots, report progress.

The embedded runner (:mod:`civicrpa.runtime.runners.embedded`) runs robots as processes of this
machine; a distributed runner plugs in behind the same protocol when one machine is not enough.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from civicrpa.queue.states import SETTLED, ItemState


@dataclass(frozen=True, kw_only=True)
class RunRequest:
    """What to run: which processes, how many robots, and whether to stop when drained."""

    processes: tuple[str, ...]
    workers: int = 1
    until_empty: bool = True


@dataclass(frozen=True, kw_only=True)
class Progress:
    """How far a run is: items settled since it began, out of those it has seen."""

    done: int
    total: int
    states: Counter[ItemState]
    #: Waiting items that become due only after this run (scheduled for later).
    later: int = 0

    @classmethod
    def from_counts(
        cls, states: Counter[ItemState], settled_at_start: int, *, later: int = 0
    ) -> Progress:
        """``later``: waiting items not due during this run (they are not part of its total)."""
        settled = sum(n for state, n in states.items() if state in SETTLED)
        active = sum(n for state, n in states.items() if state not in SETTLED)
        done = max(settled - settled_at_start, 0)
        return cls(done=done, total=done + max(active - later, 0), states=states, later=later)


@dataclass(frozen=True, kw_only=True)
class RunReport:
    """What the robots did, summed over all of them."""

    outcomes: Counter[str] = field(default_factory=Counter)
    lease_lost: int = 0
    database_errors: int = 0
    crashed_workers: int = 0
    stopped_early: bool = False
    seconds: float = 0.0
    #: Why the run stopped before its queue was drained, in Korean (a configuration mistake an
    #: item met, robots that kept dying at start); ``None`` when it did not.
    problem: str | None = None


ProgressCallback = Callable[[Progress], None]


class Runner(Protocol):
    """Runs robots; implemented by the embedded and distributed runners."""

    def run(self, request: RunRequest, *, progress: ProgressCallback | None = None) -> RunReport:
        """Run until drained (``until_empty``) or until :meth:`stop`."""

    def stop(self) -> None:
        """Ask the robots to finish or release their current item and stop."""


__all__ = ["Progress", "ProgressCallback", "RunReport", "RunRequest", "Runner"]
