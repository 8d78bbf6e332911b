"""``civicrpa run``, ``worker`` and ``demo``: put robots to work."""

from __future__ import annotations

import threading
from typing import Annotated

import typer

from civicrpa.cli.app import CliApp
from civicrpa.cli.commands_sandbox import describe, port_is_free, sandbox_config
from civicrpa.cli.console_output import console, progress_bar, summary_table
from civicrpa.core.clock import to_kst, utcnow
from civicrpa.db import migrate
from civicrpa.processes.sample.process import PROCESS as SAMPLE
from civicrpa.processes.sample.process import seed_applications
from civicrpa.queue import queries
from civicrpa.runtime.registry import AnyProcess
from civicrpa.runtime.runner import RunRequest
from civicrpa.runtime.runners import create_runner
from civicrpa.runtime.scheduler import Scheduler
from civicrpa.sandbox.common.config import DEFAULT_PORTS
from civicrpa.sandbox.server import Sandbox, available_systems, free_port
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
    summary = queries.summarize(cli.store.engine, process.queue, since=started)
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


def demo(
    items: Annotated[int, typer.Option(min=1, max=100_000, help="예제 신청 건수")] = 300,
    workers: Workers = 2,
    sandbox: Annotated[bool, typer.Option(help="모의 행정 시스템도 띄움")] = True,
    keep_sandbox: Annotated[
        bool, typer.Option(help="끝난 뒤에도 모의 시스템을 계속 띄워 둠")
    ] = False,
) -> None:
    """예제 업무로 로봇 실행을 보여 줍니다: 모의 시스템을 띄우고, 예제 업무를 로봇 2대가 처리."""
    cli = CliApp()
    try:
        cli.require(*_demo_permissions(cli, sandbox=sandbox))
        running = _start_sandbox(cli) if sandbox else None
    except BaseException:
        cli.close()
        raise
    try:
        _demo_run(cli, items, workers)
        if running is not None and keep_sandbox:
            console.print("모의 시스템을 계속 띄워 둡니다. Ctrl-C로 멈춥니다.")
            threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        if running is not None:
            running.stop()
        cli.close()


def _demo_permissions(cli: CliApp, *, sandbox: bool) -> list[Permission]:
    """The demo seeds items and runs robots; it may also serve the sandbox and migrate."""
    needed = [Permission.PROCESS_RUN, Permission.QUEUE_ADD]
    if sandbox:
        needed.append(Permission.SANDBOX_RUN)
    if migrate.current_revision(cli.engine) != migrate.head_revision(cli.engine):
        needed.append(Permission.DB_MIGRATE)
    return needed


def _start_sandbox(cli: CliApp) -> Sandbox:
    names = available_systems()
    # The usual ports when free; otherwise any free port (another sandbox may be running).
    ports = {n: DEFAULT_PORTS[n] if port_is_free(DEFAULT_PORTS[n]) else free_port() for n in names}
    with console.status("모의 행정 시스템 준비 중..."):
        running = Sandbox(sandbox_config(cli.settings), names, ports=ports).start()
    console.print(describe(running))
    return running


def _demo_run(cli: CliApp, items: int, workers: int | None) -> None:
    migrate.upgrade(cli.engine)
    stamp = to_kst(utcnow()).strftime("%Y%m%d%H%M%S")
    result = cli.store.add_many(
        SAMPLE.queue,
        list(seed_applications(items, seed=int(stamp), prefix=f"DEMO{stamp}")),
        actor=cli.actor,
    )
    console.print(
        f"[bold]{SAMPLE.title_ko}[/]: 예제 신청 {len(result.added):,}건을 넣었습니다. "
        f"로봇 {workers}대로 처리합니다."
    )
    _drain(cli, cli.registry.get(SAMPLE.name), workers or 2, "데모 결과")
