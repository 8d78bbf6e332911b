"""``civicrpa demo``: the sandbox, every process that has a demo, robots, summaries, reports.

What it does, on the embedded defaults (SQLite, in-process runner, Debian's Chromium):

1. starts the six sandbox systems on a fresh synthetic city (``--size`` residents; the intake
   then holds a few hundred received applications, some ineligible, some malformed) when a
   process to show works in one of them;
2. stores the robots' sandbox log-ins for those systems in the encrypted credential store
   (development only);
3. for each process with a demo (``Process.demo``; ``--process NAME`` picks one), in turn: makes
   its items (from the sandbox, or made up), lets ``--workers`` robots process them with a
   progress bar, prints the summary the process describes (``Process.summary``) and writes the
   files its departments receive (``Process.reports``, under ``<workspace>/reports/``);
4. ends with the staff time saved by all of them.

Each run is a new city, so it works in its own workspace, ``<data dir>/demo/`` (database, keys,
logs, artifacts, reports and the sandbox's databases), replaced at the start of every run: the
same application numbers come back in every new city, and in the city hall's own queue they
would be taken for applications already handled. The person running it must hold the
permissions in the city hall's own database; the workspace is left for looking at afterwards
(``CIVICRPA_DATA_DIR=var/demo civicrpa queue list``). With ``CIVICRPA_DATABASE_URL`` set, that
database is used, and items it already holds are skipped (and said so).
"""

from __future__ import annotations

import shutil
import threading
from typing import TYPE_CHECKING, Annotated

import typer

from civicrpa.cli.app import CliApp
from civicrpa.cli.commands_sandbox import describe, port_is_free, sandbox_config
from civicrpa.cli.console_output import console
from civicrpa.cli.draining import drain
from civicrpa.config import Settings
from civicrpa.core.errors import ConfigurationError, NotFound
from civicrpa.runtime.process import ProduceContext
from civicrpa.runtime.registry import AnyProcess
from civicrpa.runtime.reports import make_report
from civicrpa.sandbox.common.accounts import SANDBOX_PASSWORD
from civicrpa.sandbox.common.config import DEFAULT_PORTS
from civicrpa.security.credentials import CredentialStore
from civicrpa.security.rbac import Permission

if TYPE_CHECKING:
    from civicrpa.sandbox.server import Sandbox

#: The account the robots log in to every sandbox system with.
ROBOT_ACCOUNT = "robot01"


def demo(
    process: Annotated[
        str | None,
        typer.Option(metavar="업무", help="이 업무만 보여 줌 (기본: 시연이 있는 모든 업무)"),
    ] = None,
    size: Annotated[
        int, typer.Option(min=500, max=200_000, help="모의 도시의 주민 수 (신청 건수가 따라 늚)")
    ] = 10_000,
    items: Annotated[
        int | None, typer.Option(min=1, max=100_000, help="업무마다 처리할 최대 건수")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="로봇 수")] = 2,
    sandbox: Annotated[bool, typer.Option(help="모의 행정 시스템도 띄움")] = True,
    keep_sandbox: Annotated[
        bool, typer.Option(help="끝난 뒤에도 모의 시스템을 계속 띄워 둠")
    ] = False,
) -> None:
    """업무 로봇 시연: 모의 행정 시스템을 띄우고 시연이 있는 업무마다 로봇이 처리합니다."""
    from civicrpa.db import migrate  # Alembic: only for the command that runs

    cli = CliApp()
    try:
        chosen = _chosen(cli, process)
        systems = {system.id for p in chosen for system in p.systems}
        if systems and not sandbox:
            missing = sorted(s for s in systems if not cli.settings.system_urls.get(s))
            if missing:
                raise ConfigurationError("browser.unknown_system", {"system": missing[0]})
        cli.require(*_permissions(cli, sandbox=sandbox and bool(systems)))
        cli.close()
        cli = CliApp(_workspace(cli.settings))
        running = _start_sandbox(cli, size=size) if sandbox and systems else None
    except BaseException:
        cli.close()
        raise
    try:
        migrate.upgrade(cli.engine)
        settings = _robot_settings(cli, running, chosen)
        saved: list[tuple[str, float]] = []
        for one in chosen:
            hours = _show(cli, settings, one, items, workers)
            if one.manual_minutes:
                saved.append((one.title_ko, hours))
        if len(saved) > 1:
            total = sum(hours for _title, hours in saved)
            console.print(
                f"[bold]절감 추정 시간 합계[/]: {total:,.1f}시간 "
                f"({', '.join(f'{title} {hours:,.1f}시간' for title, hours in saved)})"
            )
        console.print(
            f"시연 작업 공간: {cli.settings.data_dir} "
            f"(살펴보기: CIVICRPA_DATA_DIR={cli.settings.data_dir} civicrpa queue list)"
        )
        if running is not None and keep_sandbox:
            console.print("모의 시스템을 계속 띄워 둡니다. Ctrl-C로 멈춥니다.")
            threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        if running is not None:
            running.stop()
        cli.close()


def _chosen(cli: CliApp, name: str | None) -> list[AnyProcess]:
    """The named process (refused without a demo), or every process that has one."""
    if name is not None:
        process = cli.registry.get(name)
        if process.demo is None:
            raise NotFound("cli.no_demo", {"process": process.title_ko, "known": _known(cli)})
        return [process]
    return [process for process in cli.registry if process.demo is not None]


def _known(cli: CliApp) -> str:
    return ", ".join(p.name for p in cli.registry if p.demo is not None) or "-"


def _workspace(settings: Settings) -> Settings:
    """Settings for a new ``<data dir>/demo/``, emptied first (see the module docstring)."""
    folder = settings.data_dir / "demo"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return settings.model_copy(update={"data_dir": folder})


def _permissions(cli: CliApp, *, sandbox: bool) -> list[Permission]:
    """The demo adds items and runs robots; it may serve the sandbox, store log-ins, migrate."""
    from civicrpa.db import migrate

    needed = [Permission.PROCESS_RUN, Permission.QUEUE_ADD]
    if sandbox:
        needed += [Permission.SANDBOX_RUN, Permission.CREDENTIALS_MANAGE]
    if migrate.current_revision(cli.engine) != migrate.head_revision(cli.engine):
        needed.append(Permission.DB_MIGRATE)
    return needed


def _start_sandbox(cli: CliApp, *, size: int) -> Sandbox:
    from civicrpa.sandbox.server import Sandbox, available_systems, free_port

    names = available_systems()
    config = sandbox_config(cli.settings)
    # A new synthetic city each time, so there are always applications to process.
    shutil.rmtree(config.data_dir, ignore_errors=True)
    # The usual ports when free; otherwise any free port (another sandbox may be running).
    ports = {n: DEFAULT_PORTS[n] if port_is_free(DEFAULT_PORTS[n]) else free_port() for n in names}
    with console.status(f"모의 행정 시스템 준비 중 (주민 {size:,}명)..."):
        running = Sandbox(config, names, ports=ports, seed_size=size).start()
    console.print(describe(running))
    return running


def _robot_settings(cli: CliApp, running: Sandbox | None, chosen: list[AnyProcess]) -> Settings:
    """The CLI's settings plus the sandbox's addresses, day and robot log-ins."""
    if running is None:
        return cli.settings
    urls = {name: system.url for name, system in running.systems.items()}
    # The synthetic city stands still on its own day; the rules judge by it.
    from civicrpa.sandbox.common.clock import CITY_DAY

    credentials = CredentialStore(cli.store.engine, cli.sealer.cipher)
    for system in sorted({s.id for process in chosen for s in process.systems}):
        credentials.set(system, username=ROBOT_ACCOUNT, secret=SANDBOX_PASSWORD, by=cli.actor)
    return cli.settings.model_copy(
        update={
            "system_urls": {**cli.settings.system_urls, **urls},
            "process_date": cli.settings.process_date or CITY_DAY,
        }
    )


def _show(
    cli: CliApp, settings: Settings, process: AnyProcess, items: int | None, workers: int
) -> float:
    """One process's demo: its items, the robots, its summary and reports; the hours saved."""
    assert process.demo is not None
    credentials = CredentialStore(cli.store.engine, cli.sealer.cipher)
    limit = items or process.demo.items
    with console.status(f"{process.title_ko}: 시연할 작업을 만드는 중..."):
        found = list(
            process.demo.produce(
                ProduceContext(settings=settings, limit=limit, credentials=credentials)
            )
        )
    result = cli.store.add_many(process.queue, found, actor=cli.actor)
    console.print(
        f"[bold]{process.title_ko}[/]: 작업 {len(found):,}건 중 {len(result.added):,}건을 "
        f"대기열에 넣었습니다. 로봇 {workers}대가 처리합니다."
    )
    skipped = len(found) - len(result.added)
    if skipped:
        console.print(
            f"[yellow]같은 참조번호가 이미 대기열에 있어 {skipped:,}건은 건너뜁니다 "
            "(설정한 데이터베이스에 이전 시연의 작업이 남아 있습니다).[/]"
        )
    drained = drain(
        cli, process, workers=workers, title=f"{process.title_ko} 시연 결과", settings=settings
    )
    if process.reports:
        folder = cli.settings.data_dir / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        for report in process.reports:
            name, data = make_report(process, report.name, store=cli.store, settings=settings)
            (folder / name).write_bytes(data)
            console.print(f"부서에 보낼 {report.title_ko}을(를) 만들었습니다: {folder / name}")
    return drained.summary.hours_saved(process.manual_minutes)


__all__ = ["demo"]
