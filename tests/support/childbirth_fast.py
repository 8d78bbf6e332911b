"""The childbirth process with a short lease and short retry waits, for tests that kill robots.

A killed robot's item returns when its lease runs out: 120 s in production, 6 s here, so a test
with several kills stays short. A system fault (the sandbox's injected server errors) is retried
after 0.2 s, then 0.4 s, instead of 2 s and 4 s: the same attempts in the same order, less
waiting. Everything else is the real process.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from civicrpa.processes.childbirth_incentive.process import PROCESS

PROCESSES = [
    replace(
        PROCESS,
        lease=timedelta(seconds=6),
        retry=replace(PROCESS.retry, base=timedelta(seconds=0.2)),
    )
]
