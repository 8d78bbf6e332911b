"""Rich rendering shared by commands: progress bars and the closing summary of a run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from civicrpa.queue.queries import RunSummary
from civicrpa.queue.states import STATE_LABELS_KO, ItemState
from civicrpa.runtime import runner
from civicrpa.runtime.runner import ProgressCallback, RunReport

console = Console()
#: Business-exception reasons listed one by one in a summary; the rest are summed.
_REASON_ROWS = 8
err_console = Console(stderr=True)


@contextmanager
def progress_bar(description: str) -> Iterator[ProgressCallback]:
    """A progress bar fed by a runner's progress callback."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task(description, total=None, detail="")

        def update(p: runner.Progress) -> None:
            retrying = p.states[ItemState.RETRIED]
            parts = [f"재시도 대기 {retrying}"] if retrying else []
            parts += [f"이후 예정 {p.later}"] if p.later else []
            detail = ", ".join(parts)
            bar.update(task, completed=p.done, total=max(p.total, 1), detail=detail)

        yield update


def summary_table(
    title: str,
    summary: RunSummary,
    report: RunReport,
    *,
    manual_minutes: float | None,
    amount_field: str | None = None,
) -> Table:
    """The closing summary a team lead reads after a run."""
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("항목", style="bold")
    table.add_column("값", justify="right")
    table.add_row("처리한 건수", f"{summary.processed:,}")
    for state in ItemState:
        if summary.states[state]:
            table.add_row(f"  {STATE_LABELS_KO[state]}", f"{summary.states[state]:,}")
    if amount_field and amount_field in summary.output_totals:
        table.add_row("지급액 합계", f"{summary.output_totals[amount_field]:,}원")
    reasons = list(summary.business_reasons.items())
    for (code, message), count in reasons[:_REASON_ROWS]:
        table.add_row(f"  업무 예외 사유: {message or code}", f"{count:,}")
    if len(reasons) > _REASON_ROWS:
        rest = sum(count for _, count in reasons[_REASON_ROWS:])
        table.add_row("  업무 예외 사유: 기타", f"{rest:,}")
    table.add_row("시스템 예외(시도 기준, 재시도 포함)", f"{summary.system_exceptions:,}")
    table.add_row("총 시도 횟수", f"{summary.attempts:,}")
    table.add_row("걸린 시간", f"{report.seconds:,.1f}초")
    if report.seconds > 0:
        table.add_row("처리 속도", f"{summary.processed / report.seconds * 60:,.0f}건/분")
    if manual_minutes:
        saved = summary.processed * manual_minutes / 60
        table.add_row(
            "절감 추정 시간",
            f"{saved:,.1f}시간 (건당 수작업 {manual_minutes:g}분 가정)",
        )
    if report.crashed_workers:
        table.add_row("비정상 종료된 로봇", f"{report.crashed_workers}")
    if report.stopped_early:
        table.add_row("중단", "정지 요청으로 일찍 멈춤")
    return table
