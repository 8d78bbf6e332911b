"""Rich rendering shared by commands: progress bars and the closing summary of a run."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console, Group
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from civicrpa.core.messages import CATALOGUE, template_gist
from civicrpa.queue.queries import BusinessReason, RunSummary
from civicrpa.queue.states import STATE_LABELS_KO, ItemState
from civicrpa.runtime import runner
from civicrpa.runtime.runner import ProgressCallback, RunReport

console = Console()
err_console = Console(stderr=True)
#: Distinct messages of one failure code listed one by one; beyond, its template stands for all.
_DISTINCT_MESSAGES = 3
#: Reason lines in a summary; beyond, the last line sums the rest.
_REASON_LINES = 15


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
) -> Group:
    """The closing summary a team lead reads after a run: the figures, then the reasons."""
    reasons = reasons_table(summary)
    main = figures_table(
        title, summary, report, manual_minutes=manual_minutes, amount_field=amount_field
    )
    return Group(main) if reasons is None else Group(main, Text(), reasons)


def figures_table(
    title: str,
    summary: RunSummary,
    report: RunReport,
    *,
    manual_minutes: float | None,
    amount_field: str | None = None,
) -> Table:
    """The figures of a run: counts by state, amount paid, exceptions, time, time saved."""
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("항목", style="bold")
    table.add_column("값", justify="right")
    table.add_row("처리한 건수", f"{summary.processed:,}")
    for state in ItemState:
        if state is not ItemState.NEW and summary.states[state]:
            table.add_row(f"  {STATE_LABELS_KO[state]}", f"{summary.states[state]:,}")
    if summary.waiting:
        table.add_row("처리하지 못한 대기 건수", f"{summary.waiting:,}")
    if summary.later or summary.later_in_queue:
        # The progress bar counted the whole queue's; say both when earlier runs left some.
        whole = summary.later_in_queue
        also = f" (대기열 전체 {whole:,})" if whole > summary.later else ""
        table.add_row("이후 예정(분할 지급 등)", f"{summary.later:,}{also}")
    if amount_field and amount_field in summary.output_totals:
        table.add_row("지급 건수", f"{summary.output_counts.get(amount_field, 0):,}")
        table.add_row("지급액 합계", f"{summary.output_totals[amount_field]:,}원")
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


def reason_lines(reasons: Sequence[BusinessReason]) -> list[tuple[str, int]]:
    """``(Korean reason, count)`` lines for business exceptions, one or a few per failure code.

    A code's distinct messages are listed when there are few ("제출 서류가 빠졌습니다: 출생증명서"
    and "...: 통장 사본" say different things); beyond that they differ by dates and figures, and
    the catalogue template with "…" stands for all of them. Most frequent line first.
    """
    # (reason, count, its code's count, code): a code's lines stay together on equal counts.
    found: list[tuple[str, int, int, str]] = []
    for reason in reasons:
        code, total = reason.code, reason.count
        if len(reason.messages) <= _DISTINCT_MESSAGES:
            found += [(message or code, n, total, code) for message, n in reason.messages]
        elif code in CATALOGUE:
            found.append((template_gist(code), total, total, code))
        else:
            top = max(reason.messages, key=lambda m: m[1])[0] or code
            found.append((f"{top} 외 {len(reason.messages) - 1}가지", total, total, code))
    found.sort(key=lambda line: (-line[1], -line[2], line[3]))
    lines = [(text, n) for text, n, _total, _code in found]
    if len(lines) > _REASON_LINES:
        rest = lines[_REASON_LINES - 1 :]
        lines = [
            *lines[: _REASON_LINES - 1],
            (f"기타 사유 {len(rest)}가지", sum(n for _, n in rest)),
        ]
    return lines


def reasons_table(summary: RunSummary) -> Table | None:
    """The business exceptions of a run by Korean reason; ``None`` when there were none."""
    lines = reason_lines(summary.business_reasons)
    if not lines:
        return None
    table = Table(title="업무 예외 사유", title_justify="left")
    table.add_column("건수", justify="right", no_wrap=True)
    # Not expanded: as wide as the reasons need, wrapped at the terminal's edge.
    table.add_column("사유", overflow="fold")
    for reason, count in lines:
        table.add_row(f"{count:,}", reason)
    return table
