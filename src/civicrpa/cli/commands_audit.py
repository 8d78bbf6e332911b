"""``civicrpa audit``: check the hash chain, export an anchor, read recent entries."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console, err_console
from civicrpa.core.clock import format_kst
from civicrpa.security import audit
from civicrpa.security.models import audit_log
from civicrpa.security.rbac import Permission

app = typer.Typer(help="감사 기록(해시 체인)", no_args_is_help=True)

AnchorFile = Annotated[
    Path | None,
    typer.Option(help="데이터베이스 밖에 보관하는 앵커 파일 (기본: <data>/audit/anchors.jsonl)"),
]
_PROBLEMS_KO = {
    "missing": "기록이 빠졌습니다(삭제 의심)",
    "relinked": "앞 기록과의 연결이 바뀌었습니다(순서 변경 의심)",
    "altered": "기록 내용이 바뀌었습니다(변조 의심)",
    "anchor_mismatch": "보관된 앵커와 다릅니다(체인 재작성 의심)",
    "truncated": "마지막 기록들이 사라졌습니다(삭제 의심)",
}


def _anchor_file(cli: CliApp, given: Path | None) -> Path:
    return given or cli.settings.data_dir / "audit" / "anchors.jsonl"


@app.command("verify")
def verify(anchor_file: AnchorFile = None) -> None:
    """감사 기록 전체의 해시 체인을 검증하고, 처음 깨진 기록을 알려 줍니다."""
    cli = CliApp()
    try:
        cli.require(Permission.AUDIT_READ)
        verdict = audit.verify(cli.store.engine, anchor_file=_anchor_file(cli, anchor_file))
    finally:
        cli.close()
    if verdict.intact:
        console.print(f"감사 기록 {verdict.entries:,}건의 해시 체인이 온전합니다.")
        return
    problem = _PROBLEMS_KO.get(verdict.problem or "", verdict.problem or "")
    err_console.print(
        f"[bold red]감사 기록 {verdict.broken_at}번에서 체인이 깨졌습니다:[/] {problem}",
        highlight=False,
        soft_wrap=True,
    )
    raise typer.Exit(1)


@app.command("anchor")
def anchor(anchor_file: AnchorFile = None) -> None:
    """현재 체인 끝의 해시를 앵커 파일에 덧붙입니다 (사본을 데이터베이스 밖에 보관하십시오)."""
    cli = CliApp()
    try:
        cli.require(Permission.AUDIT_READ)
        path = _anchor_file(cli, anchor_file)
        seq, digest = audit.export_anchor(cli.store.engine, path)
    finally:
        cli.close()
    console.print(f"앵커 {seq}번 {digest} 를 {path}에 기록했습니다.")


@app.command("show")
def show(
    target: Annotated[str | None, typer.Option(help="대상 (예: work_item:12)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 30,
) -> None:
    """최근 감사 기록을 보여 줍니다."""
    cli = CliApp()
    try:
        cli.require(Permission.AUDIT_READ)
        query = select(audit_log).order_by(audit_log.c.seq.desc()).limit(limit)
        if target:
            query = query.where(audit_log.c.target == target)
        with cli.store.engine.connect() as conn:
            rows = conn.execute(query).all()
    finally:
        cli.close()
    table = Table("번호", "시각(KST)", "주체", "행위", "대상", "내용")
    for row in rows:
        table.add_row(
            str(row.seq),
            format_kst(row.at),
            row.actor,
            row.action,
            row.target,
            ", ".join(f"{k}={v}" for k, v in (row.detail or {}).items()),
        )
    console.print(table)
