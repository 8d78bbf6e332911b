"""``civicrpa privacy report``: who looked at whose personal data, for the privacy officer."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console
from civicrpa.core.clock import KST, format_kst, utcnow
from civicrpa.core.errors import InputRejected
from civicrpa.security.access_log import accesses, by_actor
from civicrpa.security.rbac import Permission

app = typer.Typer(help="개인정보 열람 기록", no_args_is_help=True)


def _day(value: str | None, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=KST)
    except ValueError as exc:
        raise InputRejected("cli.bad_datetime", {"value": value}, field=field) from exc


@app.command("report")
def report(
    since: Annotated[str | None, typer.Option(help="시작일 (기본: 30일 전)")] = None,
    until: Annotated[str | None, typer.Option(help="종료일 (이 날 0시 전까지)")] = None,
    actor: Annotated[str | None, typer.Option(help="이 사람만 (예: person:kim)")] = None,
    xlsx: Annotated[Path | None, typer.Option(help="엑셀 파일로도 저장")] = None,
) -> None:
    """기간 동안의 개인정보 열람 기록과 사람별 건수를 보여 줍니다."""
    start = _day(since, "since") or utcnow() - timedelta(days=30)
    end = _day(until, "until")
    cli = CliApp()
    try:
        cli.require(Permission.ACCESS_LOG_READ)
        rows = accesses(cli.store.engine, since=start, until=end, actor=actor)
    finally:
        cli.close()
    counts = Table("열람한 사람", "건수", title="사람별 열람 건수", title_justify="left")
    for name, count in by_actor(rows).most_common():
        counts.add_row(name, f"{count:,}")
    console.print(counts)
    detail = Table("시각(KST)", "열람한 사람", "역할", "대상", "항목", "사유")
    for row in rows[-50:]:
        detail.add_row(
            format_kst(row.at),
            row.actor,
            row.role,
            f"{row.subject_kind}:{row.subject_id}",
            ", ".join(row.fields),
            row.reason,
        )
    console.print(detail)
    if xlsx is not None:
        from openpyxl import Workbook  # loaded only when a file is asked for

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "개인정보 열람 기록"
        sheet.append(["시각(KST)", "열람한 사람", "역할", "대상", "항목", "사유"])
        for r in rows:
            reason = "'" + r.reason if r.reason[:1] in "=+-@" else r.reason  # never a formula
            sheet.append(
                [
                    format_kst(r.at),
                    r.actor,
                    r.role,
                    f"{r.subject_kind}:{r.subject_id}",
                    ", ".join(r.fields),
                    reason,
                ]
            )
        book.save(xlsx)
        console.print(f"{len(rows):,}건을 {xlsx}에 저장했습니다.")
