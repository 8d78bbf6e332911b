"""``civicrpa schedule``: when each process's producer runs, and firing the due ones."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console
from civicrpa.cli.help import KoreanTyper
from civicrpa.core.clock import format_kst
from civicrpa.runtime.scheduler import Scheduler
from civicrpa.security.rbac import Permission

app = KoreanTyper(help="반복 일정")


def _scheduler(cli: CliApp) -> Scheduler:
    return Scheduler(store=cli.store, registry=cli.registry, settings=cli.settings)


@app.command("list")
def list_() -> None:
    """일정과 다음 실행 시각(KST, 공휴일 반영)을 보여 줍니다."""
    cli = CliApp()
    try:
        cli.require(Permission.QUEUE_READ)
        statuses = _scheduler(cli).status()
    finally:
        cli.close()
    table = Table("일정", "업무", "규칙", "다음 실행(KST)", "마지막 실행(KST)", "추가 건수")
    for s in statuses:
        table.add_row(
            s.name,
            s.process,
            s.description_ko,
            format_kst(s.next_due_at),
            format_kst(s.last_fired_at),
            "-" if s.last_added is None else f"{s.last_added:,}",
        )
    console.print(table)


@app.command("run-due")
def run_due(
    name: Annotated[str | None, typer.Option(metavar="일정", help="이 일정만")] = None,
) -> None:
    """시각이 된 일정을 한 번씩 실행합니다 (여러 곳에서 동시에 불러도 한 번만 실행)."""
    cli = CliApp()
    try:
        cli.require(Permission.SCHEDULE_RUN)
        firings = _scheduler(cli).run_due(only=name)
    finally:
        cli.close()
    if not firings:
        console.print("실행할 일정이 없습니다.")
    for firing in firings:
        console.print(
            f"{firing.name}: {firing.process} 작업 {firing.added:,}건 추가"
            f" (이미 있음 {firing.existing:,}건)"
        )
