"""``civicrpa privacy``: for the privacy officer, who looked at whose personal data (``report``)
and which work items hold a data subject's resident number, account or phone (``find``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console
from civicrpa.cli.help import KoreanTyper
from civicrpa.core.clock import KST, format_kst, utcnow
from civicrpa.core.errors import InputRejected
from civicrpa.core.korean import attach
from civicrpa.queue.search_keys import SearchKind, masked, normalise, search
from civicrpa.queue.states import STATE_LABELS_KO
from civicrpa.security.access_log import Access, accesses, by_actor, record_access
from civicrpa.security.pii import mask_text
from civicrpa.security.rbac import Permission

app = KoreanTyper(help="개인정보 열람 기록과 정보주체 요구 처리")


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
    detail = Table(*_REPORT_COLUMNS)
    for row in rows[-50:]:
        detail.add_row(*_report_line(row))
    console.print(detail)
    if xlsx is not None:
        # The one writer (no cell can run as a formula), loaded only when a file is asked for.
        from civicrpa.core.workbook import single_sheet, workbook_bytes

        sheet = single_sheet("개인정보 열람 기록", _REPORT_COLUMNS, [_report_line(r) for r in rows])
        xlsx.write_bytes(workbook_bytes([sheet]))
        console.print(f"{len(rows):,}건을 {xlsx}에 저장했습니다.")


_REPORT_COLUMNS = ("시각(KST)", "열람한 사람", "역할", "대상", "항목", "사유")


def _report_line(row: Access) -> list[str]:
    """One access as the report shows it, on screen and in the file alike."""
    return [
        format_kst(row.at),
        row.actor,
        row.role,
        f"{row.subject_kind}:{row.subject_id}",
        ", ".join(row.fields),
        row.reason,
    ]


@app.command("find")
def find(
    rrn: Annotated[str | None, typer.Option("--rrn", help="주민등록번호")] = None,
    account: Annotated[str | None, typer.Option("--account", help="계좌번호")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="전화번호")] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", "-r", help="조회 사유 (필수, 예: 열람 요구 2025-123)")
    ] = None,
) -> None:
    """정보주체의 주민등록번호·계좌번호·전화번호 중 하나가 담긴 작업을 찾습니다(개인정보
    열람·정정·삭제 요구 처리). 작업 데이터는 풀지 않으며, 찾은 기록은 개인정보 열람 기록에
    남습니다."""
    given = [
        (kind, value)
        for kind, value in (
            (SearchKind.RRN, rrn),
            (SearchKind.ACCOUNT, account),
            (SearchKind.PHONE, phone),
        )
        if value is not None
    ]
    cli = CliApp()
    try:
        identity = cli.require(Permission.PRIVACY_FIND)
        if len(given) != 1:
            raise InputRejected("privacy.find_one_value")
        if reason is None or not reason.strip():
            raise InputRejected("privacy.find_reason_required", field="reason")
        kind, value = given[0]
        if normalise(kind, value) is None:
            raise InputRejected(
                "privacy.search_value_invalid", {"kind": kind.label_ko}, field=kind.value
            )
        shown = masked(kind, value)  # the value itself is never printed nor recorded
        # Recorded before the search: a refused reason finds nothing.
        record_access(
            cli.store.engine,
            actor=cli.actor,
            role=identity.role.value,
            reason=reason,
            subject_kind="item_search",
            subject_id=f"{kind.value}:{shown}"[:100],
            fields=[kind.value],
        )
        found = search(cli.store.engine, kind, value, cli.sealer.cipher)
    finally:
        cli.close()
    if not found:
        console.print(
            f"{kind.label_ko} {attach(shown, '이(가)')} 담긴 작업이 없습니다.", highlight=False
        )
        return
    console.print(
        f"{kind.label_ko} {attach(shown, '이(가)')} 담긴 작업: {len(found):,}건", highlight=False
    )
    table = Table("번호", "대기열", "참조번호", "상태", "등록(KST)")
    for item in found:
        table.add_row(
            str(item.id),
            item.queue,
            mask_text(item.reference),
            STATE_LABELS_KO[item.state],
            format_kst(item.created_at),
        )
    console.print(table)
