"""``civicrpa run`` and ``worker``: put robots to work (``demo`` is in :mod:`.commands_demo`)."""

from __future__ import annotations

import threading
from typing import Annotated

import typer

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console, progress_bar, summary_table
from civicrpa.core.clock import utcnow
from civicrpa.queue import queries
from civicrpa.runtime.registry import AnyProcess
from civicrpa.runtime.runner import RunRequest
from civicrpa.runtime.runners import create_runner
from civicrpa.runtime.scheduler import Scheduler
from civicrpa.runtime.worker import DRAIN_HORIZON
from civicrpa.security.rbac import Permission

Workers = Annotated[int | None, typer.Option(min=1, max=64, help="로봇 수 (기본: 설정값)")]
#: Seconds between two looks at the schedules while ``civicrpa worker`` runs.
SCHEDULE_TICK_SECONDS = 30.0


def _drain(cli: CliApp, process: AnyProcess, workers: int, title: str) -> None:
    """Run ``process`` until its queue is drained, with a progress bar and a closing summary."""
    runner = create_runner(cli.settings)
    started = utcnow()
    with progress_bar(process.title_ko) as progress:
        report = runner.run(
            RunRequest(processes=(process.name,), workers=workers, until_empty=True),
            progress=progress,
        )
    summary = queries.summarize(
        cli.store.engine, process.queue, since=started, horizon=DRAIN_HORIZON
    )
    console.print(summary_table(title, summary, report, manual_minutes=process.manual_minutes))


def run(
    process: Annotated[str, typer.Argument(help="업무 이름")],
    workers: Workers = None,
) -> None:
    """업무 하나의 대기열이 빌 때까지 로봇을 돌리고 결과를 요약합니다."""
    cli = CliApp()
    try:
        cli.require(Permission.PROCESS_RUN)
        chosen = cli.registry.get(process)
        _ = cli.store  # refuses an unmigrated database before robots start
        _drain(cli, chosen, workers or cli.settings.workers, f"{chosen.title_ko} 실행 결과")
    finally:
        cli.close()


def worker(
    process: Annotated[list[str] | None, typer.Option(help="이 업무만 (여러 번 가능)")] = None,
    workers: Workers = None,
    schedules: Annotated[bool, typer.Option(help="반복 일정도 함께 실행")] = True,
) -> None:
    """로봇을 계속 돌립니다 (Ctrl-C: 처리 중인 작업을 마치거나 돌려놓고 멈춤)."""
    cli = CliApp()
    stop = threading.Event()
    try:
        # Firing schedules runs the producers, which add items: a permission of its own.
        cli.require(Permission.PROCESS_RUN, *([Permission.SCHEDULE_RUN] if schedules else []))
        names = tuple(p.name for p in cli.registry.select(process or []))
        _ = cli.store
        ticker = None
        if schedules:
            scheduler = Scheduler(store=cli.store, registry=cli.registry, settings=cli.settings)
            ticker = threading.Thread(target=_tick, args=(scheduler, stop), daemon=True)
            ticker.start()
        count = workers or cli.settings.workers
        console.print(f"로봇 {count}대가 {', '.join(names)} 업무를 시작합니다. (Ctrl-C: 정지)")
        report = create_runner(cli.settings).run(
            RunRequest(processes=names, workers=count, until_empty=False)
        )
        console.print(f"로봇이 멈췄습니다. 처리한 시도: {sum(report.outcomes.values()):,}건")
    finally:
        stop.set()
        cli.close()


def _tick(scheduler: Scheduler, stop: threading.Event) -> None:
    while True:
        try:
            scheduler.run_due()
        except Exception:  # noqa: BLE001 - a failed tick is logged and tried again
            scheduler._log.exception("schedule.tick_failed")
        if stop.wait(SCHEDULE_TICK_SECONDS):
            return
