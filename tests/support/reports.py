"""A report's context for tests: the queue store's items as the runtime gives them to reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from civicrpa.config import Settings
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.process import Process
from civicrpa.runtime.reports import ReportContext, Results
from civicrpa.runtime.settings import load_process_settings


def report_context(
    store: QueueStore, process: Process[Any], *, today: date | None = None
) -> ReportContext[Any]:
    """What ``process``'s reports get for the items of ``store``."""
    return ReportContext(
        results=Results(store, process.queue),
        settings=load_process_settings(process, Settings()),
        today=today or date(2025, 11, 1),
    )


__all__ = ["report_context"]
