"""How a sandbox system runs: where its data lives, how long sessions last, which faults."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

# Re-exported: the demo command, the acceptance tests and bench read the ports from here.
from civicrpa.sandbox.common.systems import DEFAULT_PORTS


@dataclass(kw_only=True)
class FaultConfig:
    """Faults a system injects, for resilience tests. Off by default; changeable at run time."""

    #: Probability (0..1) that a request fails with HTTP 500.
    error_rate: float = 0.0
    #: Extra milliseconds added to every page.
    latency_ms: int = 0
    #: While true every page answers 503 with the maintenance notice.
    maintenance: bool = False
    #: Seed of the fault dice, so a test sees the same faults every run.
    seed: int = 0

    def validate(self) -> None:
        if not 0.0 <= self.error_rate <= 1.0:
            raise ValueError("error_rate must be within [0, 1]")
        if not 0 <= self.latency_ms <= 60_000:
            raise ValueError("latency_ms must be within [0, 60000]")


@dataclass(frozen=True, kw_only=True)
class SystemConfig:
    """One system's settings."""

    #: Folder holding the system's own database file.
    data_dir: Path
    #: Minutes a log-in session lives without a request.
    session_minutes: float = 30.0
    #: Token the ground-truth endpoints require in ``X-Sandbox-Token``.
    truth_token: str = field(default_factory=lambda: secrets.token_urlsafe(16), repr=False)
    faults: FaultConfig = field(default_factory=FaultConfig)

    def database_path(self, system: str) -> Path:
        return self.data_dir / f"{system}.db"


__all__ = ["DEFAULT_PORTS", "FaultConfig", "SystemConfig"]
