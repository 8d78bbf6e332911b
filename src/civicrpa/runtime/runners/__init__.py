"""Runners: where robots run. ``create_runner`` picks one from the settings and says why."""

from __future__ import annotations

import structlog

from civicrpa.config import Settings
from civicrpa.runtime.runner import Runner
from civicrpa.runtime.runners.embedded import EmbeddedRunner


def create_runner(settings: Settings) -> Runner:
    """The runner for this installation (today: always the embedded one)."""
    structlog.get_logger().info(
        "runner.selected", runner="embedded", reason="default: robots as processes of this machine"
    )
    return EmbeddedRunner(settings)


__all__ = ["EmbeddedRunner", "create_runner"]
