"""Drain a process's queue and summarise it: one function for ``civicrpa run`` and ``demo``.

Robots work until the queue holds nothing due soon, with a progress bar; then the closing
summary a team lead reads (counts by state, what the process's :class:`~civicrpa.runtime.Summary`
says to sum, reasons, the items waiting for an official, time and the staff time saved), and a
Korean line on stderr for each trouble (failed items, crashed robots, a configuration stop).
"""

from __future__ import annotations

from dataclasses import dataclass

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console, err_console, progress_bar, summary_table
from civicrpa.config import Settings
from civicrpa.core.clock import utcnow
from civicrpa.core.messages import render
from civicrpa.queue import queries
from civicrpa.queue.queries import RunSummary
from civicrpa.queue.states import ItemState
from civicrpa.runtime.registry import AnyProcess
from civicrpa.runtime.runner import RunReport, RunRequest
from civicrpa.runtime.runners import create_runner
from civicrpa.runtime.worker import DRAIN_HORIZON


@dataclass(frozen=True)
class Drained:
    """How one process's drain went."""

    summary: RunSummary
    report: RunReport
    #: Korean lines saying what went wrong (empty: it went well).
    troubles: tuple[str, ...]

    @property
    def went_well(self) -> bool:
        return not self.troubles


def drain(
    cli: CliApp, process: AnyProcess, *, workers: int, title: str, settings: Settings | None = None
) -> Drained:
    """Run ``process`` until its queue is drained, then print its closing summary."""
    settings = settings or cli.settings
    runner = create_runner(settings)
    started = utcnow()
    with progress_bar(process.title_ko) as progress:
        report = runner.run(
            RunRequest(processes=(process.name,), workers=workers, until_empty=True),
            progress=progress,
        )
    amount = process.summary.amount_field
    summary = queries.summarize(
        cli.store.engine,
        process.queue,
        since=started,
        sum_fields=(amount,) if amount else (),
        sealer=cli.sealer if amount else None,
        horizon=DRAIN_HORIZON,
    )
    console.print(
        summary_table(
            title,
            summary,
            report,
            manual_minutes=process.manual_minutes,
            amount_field=amount,
            amount_label=process.summary.amount_label_ko,
            count_label=process.summary.count_label_ko,
        )
    )
    log = settings.logs_dir / "civicrpa.jsonl"
    troubles = [report.problem] if report.problem else []
    if summary.states[ItemState.FAILED]:
        troubles.append(
            render("runtime.run_had_failures", {"failed": summary.states[ItemState.FAILED]})
        )
    if report.crashed_workers:
        troubles.append(
            render("runtime.run_lost_robots", {"crashed": report.crashed_workers, "log": log})
        )
    for line in troubles:
        err_console.print(line, style="bold red", highlight=False, soft_wrap=True)
    return Drained(summary=summary, report=report, troubles=tuple(troubles))


__all__ = ["Drained", "drain"]
