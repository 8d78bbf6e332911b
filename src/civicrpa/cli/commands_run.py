"""``civicrpa run`` and ``worker``: put robots to work (``demo`` is in :mod:`.commands_demo`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console
from civicrpa.cli.draining import drain
from civicrpa.core.clock import format_kst, utcnow
from civicrpa.queue.states import ItemState
from civicrpa.runtime.runner import Progress, ProgressCallback, RunRequest
from civicrpa.runtime.runners import create_runner
from civicrpa.runtime.scheduler import Scheduler
from civicrpa.security.rbac import Permission

Workers = Annotated[int | None, typer.Option(min=1, max=64, help="로봇 수 (기본: 설정값)")]
#: Exit code of a run that finished with failed items, crashed robots or a configuration stop
#: (2 stays a refusal before anything ran), so a scheduler or script notices.
RUN_TROUBLE_EXIT = 1
#: Seconds between two looks at the schedules while ``civicrpa worker`` runs.
SCHEDULE_TICK_SECONDS = 30.0


def run(
    process: Annotated[str, typer.Argument(metavar="업무", help="업무 이름")],
    workers: Workers = None,
) -> None:
    """업무 하나의 대기열이 빌 때까지 로봇을 돌리고 결과를 요약합니다."""
    cli = CliApp()
    try:
        cli.require(Permission.PROCESS_RUN)
        chosen = cli.registry.get(process)
        _ = cli.store  # refuses an unmigrated database before robots start
        went_well = drain(
            cli,
            chosen,
            workers=workers or cli.settings.workers,
            title=f"{chosen.title_ko} 실행 결과",
        ).went_well
    finally:
        cli.close()
    if not went_well:
        raise typer.Exit(RUN_TROUBLE_EXIT)


def worker(
    process: Annotated[
        list[str] | None, typer.Option(metavar="업무", help="이 업무만 (여러 번 가능)")
    ] = None,
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
        titles = ", ".join(cli.registry.get(name).title_ko for name in names)
        console.print(f"로봇 {count}대가 {titles} 업무를 시작합니다. (Ctrl-C: 정지)")
        with _live_status(titles) as show:
            report = create_runner(cli.settings).run(
                RunRequest(processes=names, workers=count, until_empty=False), progress=show
            )
        console.print(f"로봇이 멈췄습니다. 처리한 시도: {sum(report.outcomes.values()):,}건")
    finally:
        stop.set()
        cli.close()


#: Seconds between two status lines of ``civicrpa worker`` when its output is not a terminal.
STATUS_LINE_SECONDS = 10.0


def _status_text(titles: str, p: Progress) -> str:
    waiting = max(p.total - p.done - p.states[ItemState.IN_PROGRESS], 0)
    parts = [
        f"처리 중 {p.states[ItemState.IN_PROGRESS]:,}건",
        f"이번 실행에서 끝낸 {p.done:,}건",
        f"대기 {waiting:,}건",
    ]
    if p.states[ItemState.RETRIED]:
        parts.append(f"재시도 대기 {p.states[ItemState.RETRIED]:,}건")
    if p.later:
        parts.append(f"이후 예정 {p.later:,}건")
    return f"{titles}: " + ", ".join(parts)


@contextmanager
def _live_status(titles: str) -> Iterator[ProgressCallback]:
    """What the robots are doing: a live line on a terminal, a time-stamped line every
    :data:`STATUS_LINE_SECONDS` when it changed otherwise (a log file, a service's journal)."""
    if console.is_terminal:
        with console.status(f"{titles}: 로봇 준비 중") as status:
            yield lambda p: status.update(_status_text(titles, p))
        return
    shown, shown_at = "", 0.0

    def line(p: Progress) -> None:
        nonlocal shown, shown_at
        text = _status_text(titles, p)
        if text != shown and time.monotonic() - shown_at >= STATUS_LINE_SECONDS:
            console.print(f"[{format_kst(utcnow())}] {text}", highlight=False, soft_wrap=True)
            shown, shown_at = text, time.monotonic()

    yield line


def _tick(scheduler: Scheduler, stop: threading.Event) -> None:
    while True:
        try:
            scheduler.run_due()
        except Exception:  # noqa: BLE001 - a failed tick is logged and tried again
            scheduler._log.exception("schedule.tick_failed")
        if stop.wait(SCHEDULE_TICK_SECONDS):
            return
