"""Rich rendering shared by commands: progress bars and the closing summary of a run."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

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
from civicrpa.queue.records import RunOutcome
from civicrpa.queue.states import STATE_LABELS_KO, ItemState
from civicrpa.runtime import runner
from civicrpa.runtime.runner import ProgressCallback, RunReport

#: Width of output that goes to a file or a pipe (``> 목록.txt``, ``| grep``): wide enough that
#: a table row stays one line to search, where a terminal's 80 columns would cut it.
PIPED_WIDTH = 200


def _console(stream: TextIO, *, stderr: bool = False) -> Console:
    """A console as wide as the terminal; :data:`PIPED_WIDTH` when not a terminal (``COLUMNS``
    wins over both)."""
    wide = not stream.isatty() and "COLUMNS" not in os.environ
    return Console(stderr=stderr, width=PIPED_WIDTH if wide else None)


console = _console(sys.stdout)
err_console = _console(sys.stderr, stderr=True)
#: Korean names of how an attempt ended, for attempt histories (``queue show``).
RUN_OUTCOME_LABELS_KO: dict[RunOutcome, str] = {
    RunOutcome.SUCCESSFUL: "완료",
    RunOutcome.BUSINESS_EXCEPTION: "업무 예외",
    RunOutcome.SYSTEM_EXCEPTION: "시스템 예외",
    RunOutcome.LEASE_EXPIRED: "응답 끊김(회수)",
    RunOutcome.RELEASED: "로봇 정지로 돌려놓음",
    RunOutcome.DEFERRED: "연기",
    RunOutcome.NEEDS_REVIEW: "담당자 검토 요청",
}
#: Distinct messages of one failure code listed one by one; beyond, its template stands for all.
_DISTINCT_MESSAGES = 3
#: Dates, amounts and counts inside a message.
_FIGURES = re.compile(r"\d[\d,.\-:]*")
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
            if not p.done and not p.states[ItemState.IN_PROGRESS]:
                # Robots start their processes and browsers first: say so, not a silent 0.
                parts.insert(0, "로봇 준비 중(브라우저 시작)")
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
    amount_label: str = "지급액",
    count_label: str = "지급 건수",
) -> Group:
    """The closing summary a team lead reads after a run: the figures, then the reasons."""
    main = figures_table(
        title,
        summary,
        report,
        manual_minutes=manual_minutes,
        amount_field=amount_field,
        amount_label=amount_label,
        count_label=count_label,
    )
    parts: list[Table | Text] = [main]
    for table in (
        reasons_table(summary.business_reasons, "보완 요청 등 업무 예외 사유"),
        reasons_table(summary.refusal_reasons, "요건 미충족 사유"),
        decisions_table(summary),
    ):
        if table is not None:
            parts += [Text(), table]
    if summary.awaiting_decision:
        review = sum(1 for w in summary.awaiting_decision if w.state is ItemState.NEEDS_REVIEW)
        how = []
        if review:
            how.append(f"담당자 검토 {review:,}건은 'civicrpa queue approve|reject 번호'로")
        if len(summary.awaiting_decision) > review:
            refused = len(summary.awaiting_decision) - review
            how.append(f"요건 미충족 {refused:,}건은 업무 시스템(예: 민원 접수)에서")
        parts.append(
            Text(
                f"{len(summary.awaiting_decision):,}건은 담당자 결정이 필요합니다: "
                + ", ".join(how)
                + " 결정합니다.",
                style="bold yellow",
            )
        )
    return Group(*parts)


#: Items listed one by one in the summary's "waiting for a decision" table.
_DECISION_LINES = 20


def decisions_table(summary: RunSummary) -> Table | None:
    """The items an official must decide (asked for review, refused by the rules)."""
    waiting = summary.awaiting_decision
    if not waiting:
        return None
    table = Table(title="담당자 결정 대기", title_justify="left")
    table.add_column("번호", justify="right", no_wrap=True)
    table.add_column("참조번호", no_wrap=True)
    table.add_column("상태", no_wrap=True)
    table.add_column("사유", overflow="fold")
    for item in waiting[:_DECISION_LINES]:
        table.add_row(str(item.id), item.reference, STATE_LABELS_KO[item.state], item.reason)
    if len(waiting) > _DECISION_LINES:
        table.add_row("", f"외 {len(waiting) - _DECISION_LINES:,}건", "", "")
    return table


def figures_table(
    title: str,
    summary: RunSummary,
    report: RunReport,
    *,
    manual_minutes: float | None,
    amount_field: str | None = None,
    amount_label: str = "지급액",
    count_label: str = "지급 건수",
) -> Table:
    """The figures of a run: counts by state, amount paid, exceptions, time, time saved."""
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("항목", style="bold")
    table.add_column("값", justify="right")
    table.add_row("처리한 건수", f"{summary.processed:,}")
    for state in ItemState:
        if state is ItemState.NEW or not summary.states[state]:
            continue
        if state is ItemState.BUSINESS_EXCEPTION and summary.refused:
            # Sent back to be completed, and refused by the rules: two different next steps.
            fixable = summary.states[state] - summary.refused
            if fixable:
                table.add_row("  보완 요청 등 업무 예외", f"{fixable:,}")
            table.add_row("  요건 미충족(담당자 결정 필요)", f"{summary.refused:,}")
            continue
        table.add_row(f"  {STATE_LABELS_KO[state]}", f"{summary.states[state]:,}")
    if summary.waiting:
        table.add_row("처리하지 못한 대기 건수", f"{summary.waiting:,}")
    if summary.later or summary.later_in_queue:
        # The progress bar counted the whole queue's; say both when earlier runs left some.
        whole = summary.later_in_queue
        also = f" (대기열 전체 {whole:,})" if whole > summary.later else ""
        table.add_row("이후 예정(분할 지급 등)", f"{summary.later:,}{also}")
    if amount_field and amount_field in summary.output_totals:
        table.add_row(count_label, f"{summary.output_counts.get(amount_field, 0):,}")
        table.add_row(f"{amount_label} 합계", f"{summary.output_totals[amount_field]:,}원")
    table.add_row("시스템 예외(시도 기준, 재시도 포함)", f"{summary.system_exceptions:,}")
    table.add_row("총 시도 횟수", f"{summary.attempts:,}")
    table.add_row("걸린 시간", f"{report.seconds:,.1f}초")
    if report.seconds > 0:
        table.add_row("처리 속도", f"{summary.processed / report.seconds * 60:,.0f}건/분")
    if manual_minutes:
        # Only what the robots finished: an exception still takes an official's time.
        saved = summary.hours_saved(manual_minutes)
        table.add_row(
            "절감 추정 시간",
            f"{saved:,.1f}시간 (완료 {summary.finished_by_robots:,}건 × 수작업 {manual_minutes:g}분)",
        )
    if report.crashed_workers:
        table.add_row("비정상 종료된 로봇", f"{report.crashed_workers}")
    if report.stopped_early:
        table.add_row("중단", "정지 요청으로 일찍 멈춤")
    return table


def _same_but_figures(messages: Iterable[str]) -> bool:
    """Whether ``messages`` differ only in their figures (dates, amounts, counts)."""
    return len({_FIGURES.sub("#", message) for message in messages}) == 1


def reason_lines(reasons: Sequence[BusinessReason]) -> list[tuple[str, int]]:
    """``(Korean reason, count)`` lines for business exceptions, one or a few per failure code.

    One line per code when its messages differ only by dates and figures (the catalogue
    template with "…" stands for all of them); a code's distinct messages are listed when there
    are few ("제출 서류가 빠졌습니다: 출생증명서" and "...: 통장 사본" say different things), beyond
    that the template again. Most frequent line first.
    """
    # (reason, count, its code's count, code): a code's lines stay together on equal counts.
    found: list[tuple[str, int, int, str]] = []
    for reason in reasons:
        code, total = reason.code, reason.count
        figures_only = _same_but_figures(m for m, _n in reason.messages)
        if len(reason.messages) > 1 and code in CATALOGUE and figures_only:
            # One reason with different dates or amounts (출생일(2025-05-01) ..., (2025-05-02)
            # ...): one line, its template standing for all of them.
            found.append((template_gist(code), total, total, code))
        elif len(reason.messages) <= _DISTINCT_MESSAGES:
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


def reasons_table(reasons: Sequence[BusinessReason], title: str) -> Table | None:
    """Business exceptions by Korean reason under ``title``; ``None`` when there were none."""
    lines = reason_lines(reasons)
    if not lines:
        return None
    table = Table(title=title, title_justify="left")
    table.add_column("건수", justify="right", no_wrap=True)
    # Not expanded: as wide as the reasons need, wrapped at the terminal's edge.
    table.add_column("사유", overflow="fold")
    for reason, count in lines:
        table.add_row(f"{count:,}", reason)
    return table
