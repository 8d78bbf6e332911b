"""``civicrpa demo``: the sandbox, a few hundred childbirth-incentive applications, two robots.

What it does, on the embedded defaults (SQLite, in-process runner, Debian's Chromium):

1. starts the six sandbox systems on a fresh synthetic city (``--size`` residents; the intake
   then holds a few hundred received applications, some ineligible, some malformed);
2. stores the robots' sandbox log-ins in the encrypted credential store (development only);
3. runs the process's producer: downloads the intake's export and queues one item per
   application;
4. lets ``--workers`` robots process them in real browsers, with a progress bar, and prints the
   summary: processed, paid, amount, business exceptions by reason, system failures, time, and
   the staff time saved at the process's documented minutes per application;
5. writes the department's beneficiary list (``<workspace>/reports/지원대상자명단_*.xlsx``).

Each run of the childbirth demo is a new city, so it works in its own workspace,
``<data dir>/demo/`` (database, keys, logs, artifacts, reports and the sandbox's databases),
replaced at the start of every run: the same application numbers come back in every new city,
and in the city hall's own queue they would be taken for applications already handled. The
person running it must hold the permissions in the city hall's own database; the workspace
is left for looking at afterwards (``CIVICRPA_DATA_DIR=var/demo civicrpa queue list``). With
``CIVICRPA_DATABASE_URL`` set, that database is used, and applications it already holds are
skipped (and said so).

``--process sample_document_check`` runs the synthetic sample instead (``--items`` of them),
which needs no browser.
"""

from __future__ import annotations

import shutil
import threading
from typing import TYPE_CHECKING, Annotated

import typer

from civicrpa.cli.app import CliApp
from civicrpa.cli.commands_sandbox import describe, port_is_free, sandbox_config
from civicrpa.cli.console_output import console, progress_bar, summary_table
from civicrpa.config import Settings
from civicrpa.core.clock import to_kst, utcnow
from civicrpa.core.errors import ConfigurationError
from civicrpa.db import migrate
from civicrpa.queue import queries
from civicrpa.runtime.process import ProduceContext
from civicrpa.runtime.registry import AnyProcess
from civicrpa.runtime.runner import RunRequest
from civicrpa.runtime.runners import create_runner
from civicrpa.runtime.worker import DRAIN_HORIZON
from civicrpa.sandbox.common.accounts import SANDBOX_PASSWORD
from civicrpa.sandbox.common.config import DEFAULT_PORTS
from civicrpa.security.credentials import CredentialStore
from civicrpa.security.rbac import Permission

if TYPE_CHECKING:
    from civicrpa.sandbox.server import Sandbox

#: The process shown when none is named (its modules are imported only when the demo runs:
#: they bring the browser, the sandbox's web framework and the spreadsheets with them).
CHILDBIRTH_NAME = "childbirth_incentive"
#: Systems the childbirth robots log in to, with the sandbox account they use.
ROBOT_LOGINS = ("intake", "resident_registry", "finance")
ROBOT_ACCOUNT = "robot01"


def demo(
    process: Annotated[
        str,
        typer.Option(
            metavar="업무", help="보여 줄 업무 (childbirth_incentive 또는 sample_document_check)"
        ),
    ] = CHILDBIRTH_NAME,
    size: Annotated[
        int, typer.Option(min=500, max=200_000, help="모의 도시의 주민 수 (신청 건수가 따라 늚)")
    ] = 10_000,
    items: Annotated[
        int | None, typer.Option(min=1, max=100_000, help="처리할 최대 건수 (예제 업무: 건수)")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="로봇 수")] = 2,
    sandbox: Annotated[bool, typer.Option(help="모의 행정 시스템도 띄움")] = True,
    keep_sandbox: Annotated[
        bool, typer.Option(help="끝난 뒤에도 모의 시스템을 계속 띄워 둠")
    ] = False,
) -> None:
    """업무 로봇 시연: 모의 행정 시스템을 띄우고 출산장려금 신청을 로봇 2대가 처리합니다."""
    cli = CliApp()
    try:
        chosen = cli.registry.get(process)
        browser = chosen.name == CHILDBIRTH_NAME
        if browser and not sandbox and not cli.settings.system_urls:
            raise ConfigurationError("browser.unknown_system", {"system": "intake"})
        cli.require(*_permissions(cli, sandbox=sandbox, browser=browser))
        if browser and sandbox:
            cli.close()
            cli = CliApp(_workspace(cli.settings))
        running = _start_sandbox(cli, size=size, fresh=browser) if sandbox else None
    except BaseException:
        cli.close()
        raise
    try:
        migrate.upgrade(cli.engine)
        if browser:
            settings = _robot_settings(cli, running)
            _childbirth(cli, settings, chosen, items, workers)
        else:
            _sample(cli, chosen, items or 300, workers)
        if running is not None and keep_sandbox:
            console.print("모의 시스템을 계속 띄워 둡니다. Ctrl-C로 멈춥니다.")
            threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        if running is not None:
            running.stop()
        cli.close()


def _workspace(settings: Settings) -> Settings:
    """Settings for a new ``<data dir>/demo/``, emptied first (see the module docstring)."""
    folder = settings.data_dir / "demo"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return settings.model_copy(update={"data_dir": folder})


def _permissions(cli: CliApp, *, sandbox: bool, browser: bool) -> list[Permission]:
    """The demo adds items and runs robots; it may serve the sandbox, store log-ins, migrate."""
    needed = [Permission.PROCESS_RUN, Permission.QUEUE_ADD]
    if sandbox:
        needed.append(Permission.SANDBOX_RUN)
    if sandbox and browser:
        needed.append(Permission.CREDENTIALS_MANAGE)
    if migrate.current_revision(cli.engine) != migrate.head_revision(cli.engine):
        needed.append(Permission.DB_MIGRATE)
    return needed


def _start_sandbox(cli: CliApp, *, size: int, fresh: bool) -> Sandbox:
    from civicrpa.sandbox.server import Sandbox, available_systems, free_port

    names = available_systems()
    config = sandbox_config(cli.settings)
    if fresh:
        # A new synthetic city each time, so there are always applications to process.
        shutil.rmtree(config.data_dir, ignore_errors=True)
    # The usual ports when free; otherwise any free port (another sandbox may be running).
    ports = {n: DEFAULT_PORTS[n] if port_is_free(DEFAULT_PORTS[n]) else free_port() for n in names}
    with console.status(f"모의 행정 시스템 준비 중 (주민 {size:,}명)..."):
        running = Sandbox(config, names, ports=ports, seed_size=size).start()
    console.print(describe(running))
    return running


def _robot_settings(cli: CliApp, running: Sandbox | None) -> Settings:
    """The CLI's settings plus the sandbox's addresses and day, for the robots."""
    update: dict[str, object] = {}
    if running is not None:
        urls = {name: system.url for name, system in running.systems.items()}
        update["system_urls"] = {**cli.settings.system_urls, **urls}
        # The synthetic city stands still on its own day; the rules judge by it.
        from civicrpa.sandbox.common.clock import CITY_DAY

        update["process_date"] = cli.settings.process_date or CITY_DAY
        credentials = CredentialStore(cli.store.engine, cli.sealer.cipher)
        for system in ROBOT_LOGINS:
            credentials.set(system, username=ROBOT_ACCOUNT, secret=SANDBOX_PASSWORD, by=cli.actor)
    return cli.settings.model_copy(update=update)


def _childbirth(
    cli: CliApp, settings: Settings, process: AnyProcess, items: int | None, workers: int
) -> None:
    assert process.producer is not None
    credentials = CredentialStore(cli.store.engine, cli.sealer.cipher)
    with console.status("민원 접수 시스템에서 신청 목록을 내려받는 중..."):
        found = list(
            process.producer(
                ProduceContext(settings=settings, limit=items, credentials=credentials)
            )
        )
    result = cli.store.add_many(process.queue, found, actor=cli.actor)
    console.print(
        f"[bold]{process.title_ko}[/]: 접수된 신청 {len(found):,}건을 내려받아 "
        f"{len(result.added):,}건을 대기열에 넣었습니다. 로봇 {workers}대가 처리합니다."
    )
    skipped = len(found) - len(result.added)
    if skipped:
        console.print(
            f"[yellow]같은 접수번호가 이미 대기열에 있어 {skipped:,}건은 건너뜁니다 "
            "(설정한 데이터베이스에 이전 시연의 작업이 남아 있습니다).[/]"
        )
    _drain(cli, settings, process, workers, "시연 결과", amount_field="amount")
    from civicrpa.processes.childbirth_incentive.beneficiaries import beneficiary_list_workbook
    from civicrpa.processes.childbirth_incentive.process import process_today
    from civicrpa.processes.childbirth_incentive.report import beneficiary_rows

    rows = beneficiary_rows(cli.store.engine, cli.sealer, process.queue)
    reports = cli.settings.data_dir / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    path = reports / f"지원대상자명단_{to_kst(utcnow()):%Y%m%d-%H%M%S}.xlsx"
    path.write_bytes(
        beneficiary_list_workbook(
            rows, base_date=process_today(settings), department=settings.childbirth_department
        )
    )
    console.print(f"부서에 보낼 지원대상자 명단({len(rows):,}줄)을 만들었습니다: {path}")
    console.print(
        f"시연 작업 공간: {cli.settings.data_dir} "
        f"(살펴보기: CIVICRPA_DATA_DIR={cli.settings.data_dir} civicrpa queue list)"
    )


def _sample(cli: CliApp, process: AnyProcess, items: int, workers: int) -> None:
    from civicrpa.processes.sample.process import seed_applications

    stamp = to_kst(utcnow()).strftime("%Y%m%d%H%M%S")
    result = cli.store.add_many(
        process.queue,
        list(seed_applications(items, seed=int(stamp), prefix=f"DEMO{stamp}")),
        actor=cli.actor,
    )
    console.print(
        f"[bold]{process.title_ko}[/]: 예제 신청 {len(result.added):,}건을 넣었습니다. "
        f"로봇 {workers}대로 처리합니다."
    )
    _drain(cli, cli.settings, process, workers, "데모 결과")


def _drain(
    cli: CliApp,
    settings: Settings,
    process: AnyProcess,
    workers: int,
    title: str,
    *,
    amount_field: str | None = None,
) -> None:
    """Run ``process`` until its queue is drained, with a progress bar and a closing summary."""
    runner = create_runner(settings)
    started = utcnow()
    with progress_bar(process.title_ko) as progress:
        report = runner.run(
            RunRequest(processes=(process.name,), workers=workers, until_empty=True),
            progress=progress,
        )
    summary = queries.summarize(
        cli.store.engine,
        process.queue,
        since=started,
        sum_fields=(amount_field,) if amount_field else (),
        sealer=cli.sealer,
        horizon=DRAIN_HORIZON,
    )
    console.print(
        summary_table(
            title,
            summary,
            report,
            manual_minutes=process.manual_minutes,
            amount_field=amount_field,
        )
    )


__all__ = ["demo"]
