"""``civicrpa report``: build one of a process's reports (``Process.reports``) and save it.

A report is built from the decrypted payloads and outputs of the process's items (the
beneficiary list names each beneficiary), so it is a reading of personal data: it needs the
permission to read it and is recorded in the access log, with who, why (by default "보고서
작성: <title>") and which report of which queue, before anything is decrypted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console
from civicrpa.cli.files import reports_folder, write_private
from civicrpa.core.errors import InputRejected, NotFound
from civicrpa.core.korean import attach
from civicrpa.core.messages import render
from civicrpa.runtime.registry import AnyProcess
from civicrpa.runtime.reports import make_report
from civicrpa.security.access_log import record_access
from civicrpa.security.rbac import Permission


def report(
    process: Annotated[str, typer.Argument(metavar="업무", help="업무 이름")],
    name: Annotated[
        str, typer.Argument(metavar="보고서", help="보고서 이름 (틀리면 있는 보고서를 알려 줌)")
    ],
    out: Annotated[
        Path | None,
        typer.Option(metavar="폴더", help="저장할 폴더 (기본: 데이터 폴더의 reports)"),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            "-r",
            metavar="사유",
            help="개인정보 열람 사유 (기본: '보고서 작성: 보고서 제목')",
        ),
    ] = None,
) -> None:
    """업무의 보고서(지원대상자 명단 등)를 만들어 폴더에 저장합니다. 보고서는 작업 데이터의
    개인정보로 만들므로 개인정보 조회 권한이 필요하며, 열람 기록에 남습니다."""
    cli = CliApp()
    try:
        identity = cli.require(Permission.QUEUE_READ_PERSONAL)
        chosen = _with_reports(cli, process)
        wanted = chosen.report(name)
        folder = out if out is not None else reports_folder(cli.settings.data_dir)
        if folder.exists() and not folder.is_dir():
            raise InputRejected("cli.report_out_not_folder", {"path": str(folder)}, field="out")
        # Recorded before anything is decrypted: a refused reason builds nothing.
        record_access(
            cli.store.engine,
            actor=cli.actor,
            role=identity.role.value,
            reason=render("cli.report_reason", {"title": wanted.title_ko})
            if reason is None
            else reason,
            subject_kind="report",
            subject_id=f"{chosen.queue}:{wanted.name}"[:100],
            fields=["payload", "output"],
        )
        file_name, data = make_report(chosen, wanted.name, store=cli.store, settings=cli.settings)
        path = write_private(folder / file_name, data)
    finally:
        cli.close()
    console.print(f"{attach(wanted.title_ko, '을(를)')} 만들었습니다: {path}", highlight=False)
    console.print("개인정보가 담긴 파일이라 이 계정만 읽을 수 있게 저장했습니다.", highlight=False)


def _with_reports(cli: CliApp, name: str) -> AnyProcess:
    """The process ``name``; refused, naming those that have reports, when it has none."""
    chosen = cli.registry.get(name)
    if not chosen.reports:
        known = ", ".join(p.name for p in cli.registry if p.reports) or "-"
        raise NotFound("cli.no_reports", {"process": chosen.title_ko, "known": known})
    return chosen


__all__ = ["report"]
