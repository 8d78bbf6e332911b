"""``civicrpa audit``: check the hash chain, export an anchor, read recent entries."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console, err_console
from civicrpa.cli.help import KoreanTyper
from civicrpa.core.clock import format_kst
from civicrpa.core.messages import render
from civicrpa.security import audit
from civicrpa.security.anchors import AnchorPlace, anchor_place, export_anchor, read_anchors
from civicrpa.security.models import audit_log
from civicrpa.security.rbac import Permission

app = KoreanTyper(help="감사 기록(해시 체인)")

AnchorFile = Annotated[
    Path | None,
    typer.Option(
        help="데이터베이스 밖에 보관하는 앵커 파일 (기본: CIVICRPA_AUDIT_ANCHOR_PATH, "
        "없으면 <data>/audit/anchors.jsonl)"
    ),
]


def _place(cli: CliApp, given: Path | None) -> AnchorPlace:
    """The configured anchor place; a warning when it sits beside the database (development:
    production refuses it in :func:`anchor_place`)."""
    place = anchor_place(cli.settings, path=given)
    if place.beside_database:
        err_console.print(
            render("security.anchor_beside_database_warning", {"path": place.path}),
            style="yellow",
            highlight=False,
            soft_wrap=True,
        )
    return place


@app.command("verify")
def verify(anchor_file: AnchorFile = None) -> None:
    """감사 기록 전체의 해시 체인을 검증하고, 처음 깨진 기록을 알려 줍니다."""
    cli = CliApp()
    try:
        cli.require(Permission.AUDIT_READ)
        place = _place(cli, anchor_file)
        if place.path is None:
            err_console.print(render("audit.anchor_nowhere_to_read"), highlight=False)
        verdict = audit.verify(cli.store.engine, anchors=read_anchors(place.path))
    finally:
        cli.close()
    if verdict.intact:
        console.print(render("audit.chain_intact", {"entries": f"{verdict.entries:,}"}))
        if verdict.unkeyed:
            console.print(render("audit.chain_intact_unkeyed", {"unkeyed": f"{verdict.unkeyed:,}"}))
        return
    problem = render(f"audit.problem.{verdict.problem}")
    err_console.print(
        f"[bold red]{render('audit.chain_broken', {'seq': verdict.broken_at})}[/] {problem}",
        highlight=False,
        soft_wrap=True,
    )
    raise typer.Exit(1)


@app.command("anchor")
def anchor(anchor_file: AnchorFile = None) -> None:
    """현재 체인 끝의 해시를 앵커로 보관합니다 (CIVICRPA_AUDIT_ANCHOR_PATH 파일, CIVICRPA_AUDIT_ANCHOR_COMMAND 명령)."""
    cli = CliApp()
    try:
        cli.require(Permission.AUDIT_READ)
        place = _place(cli, anchor_file)
        kept = export_anchor(cli.store.engine, place)
    finally:
        cli.close()
    console.print(
        render(
            "audit.anchor_written", {"seq": kept.seq, "hash": kept.hash, "place": place.describe()}
        ),
        highlight=False,
        soft_wrap=True,
    )


@app.command("show")
def show(
    target: Annotated[str | None, typer.Option(help="대상 (예: work_item:12)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="보여 줄 건수")] = 30,
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
