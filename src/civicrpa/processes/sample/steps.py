"""The sample's robot actions. The real processes drive the sandbox in a browser here; the
sample stands in with a short wait and a transient fault on some first attempts."""

from __future__ import annotations

import hashlib
import time

from civicrpa.runtime import TargetUnavailable

#: Simulated screen time per application, in seconds.
SCREEN_SECONDS = 0.004


def simulate_intake_screen(reference: str, attempt: int, *, fault_percent: int) -> None:
    """Wait like a screen would; fail the first attempt for ``fault_percent`` % of references."""
    time.sleep(SCREEN_SECONDS)
    bucket = int(hashlib.sha256(reference.encode()).hexdigest()[:4], 16) % 100
    if attempt == 1 and bucket < fault_percent:
        raise TargetUnavailable("system.target_unavailable", {"system": "민원 접수"})
