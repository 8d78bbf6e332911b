"""The childbirth process with a short lease, for tests that kill its robots.

A killed robot's item returns when its lease runs out: 120 s in production, 6 s here, so a test
with several kills stays short. Everything else is the real process.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from civicrpa.processes.childbirth_incentive.process import PROCESS

PROCESSES = [replace(PROCESS, lease=timedelta(seconds=6))]
