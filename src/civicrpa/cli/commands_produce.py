"""``civicrpa produce``: run a process's producer now, as its schedule would, and queue what it
finds.

A process author trying a producer, or an administrator catching up after a missed morning
batch, should not have to wait for the schedule. The producer gets what a schedule gives it
(the settings, the robots' encrypted log-ins) plus the person's ``--limit``; the items go in
under the person's name, and references already queued are skipped and counted, so running it
twice adds nothing twice.
"""

from __future__ import annotations

from itertools import islice
from typing import Annotated

import typer

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console
from civicrpa.core.errors import NotFound
from civicrpa.runtime.process import ProduceContext
from civicrpa.runtime.registry import AnyProcess
from civicrpa.runtime.scheduler import PRODUCE_LIMIT
from civicrpa.security.credentials import CredentialStore
from civicrpa.security.rbac import Permission


def produce(
    process: Annotated[str, typer.Argument(metavar="업무", help="업무 이름")],
    limit: Annotated[
        int | None,
        typer.Option(
            metavar="건수",
            min=1,
            max=PRODUCE_LIMIT,
            help="찾을 최대 건수 (기본: 업무가 정한 수)",
        ),
    ] = None,
) -> None:
    """업무의 새 작업 찾기를 지금 실행해 찾은 작업을 대기열에 넣습니다 (반복 일정이 하는 일을
    당장 한 번). 이미 대기열에 있는 참조번호는 건너뜁니다."""
    cli = CliApp()
    try:
        # What a schedule's firing needs: it adds items, and the producer may use the robots'
        # log-ins to read a municipal system.
        cli.require(Permission.QUEUE_ADD, Permission.SCHEDULE_RUN)
        chosen = _with_producer(cli, process)
        assert chosen.producer is not None
        context = ProduceContext(
            settings=cli.settings,
            limit=limit,
            credentials=CredentialStore(cli.store.engine, cli.sealer.cipher),
        )
        cap = limit or PRODUCE_LIMIT
        with console.status(f"{chosen.title_ko}: 새 작업을 찾는 중..."):
            found = list(islice(chosen.producer(context), cap + 1))
        more = len(found) > cap
        found = found[:cap]
        result = cli.store.add_many(chosen.queue, found, actor=cli.actor)
    finally:
        cli.close()
    added, skipped = len(result.added), len(result.existing)
    console.print(
        f"{chosen.title_ko}: 새 작업 {len(found):,}건을 찾아 {added:,}건을 "
        f"'{chosen.queue}' 대기열에 넣었습니다 (이미 있어 건너뜀 {skipped:,}건).",
        highlight=False,
    )
    if more:
        console.print(
            f"[yellow]찾은 작업이 {cap:,}건을 넘어 앞의 {cap:,}건만 넣었습니다.[/]",
            highlight=False,
        )


def _with_producer(cli: CliApp, name: str) -> AnyProcess:
    """The process ``name``; refused, naming those that have one, when it has no producer."""
    chosen = cli.registry.get(name)
    if chosen.producer is None:
        known = ", ".join(p.name for p in cli.registry if p.producer is not None) or "-"
        raise NotFound("cli.no_producer", {"process": chosen.title_ko, "known": known})
    return chosen


__all__ = ["produce"]
