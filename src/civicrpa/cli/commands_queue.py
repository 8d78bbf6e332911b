"""``civicrpa queue``: add, import, list and inspect work items; people's decisions on them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.progress import Progress
from rich.table import Table

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console
from civicrpa.core.clock import KST, format_kst
from civicrpa.core.errors import InputRejected
from civicrpa.queue import queries
from civicrpa.queue.records import NewItem
from civicrpa.queue.states import STATE_LABELS_KO, parse_states
from civicrpa.security.access_log import record_access
from civicrpa.security.pii import mask_value
from civicrpa.security.rbac import Permission

app = typer.Typer(help="작업 대기열", no_args_is_help=True)

Reason = Annotated[str, typer.Option("--reason", "-r", help="사유 (필수)")]


def _parse_time(value: str | None, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputRejected("cli.bad_datetime", {"value": value}, field=field) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=KST)


@app.command("add")
def add(
    queue: Annotated[str, typer.Argument(help="대기열 이름")],
    reference: Annotated[str, typer.Argument(help="참조번호 (대기열 안에서 유일)")],
    data: Annotated[str, typer.Option(help="작업 데이터 (JSON)")] = "{}",
    data_file: Annotated[Path | None, typer.Option(help="작업 데이터 JSON 파일")] = None,
    priority: Annotated[int, typer.Option(help="우선순위 (클수록 먼저)")] = 0,
    deadline: Annotated[str | None, typer.Option(help="처리 기한 (예: 2025-10-31T18:00)")] = None,
) -> None:
    """작업 하나를 대기열에 넣습니다 (같은 참조번호는 한 번만 들어갑니다)."""
    cli = CliApp()
    try:
        cli.require(Permission.QUEUE_ADD)
        process = cli.registry.for_queue(queue)
        raw = data_file.read_text(encoding="utf-8") if data_file else data
        try:
            payload = process.payload.model_validate(json.loads(raw))
        except json.JSONDecodeError as exc:
            raise InputRejected("cli.bad_json", {"line": exc.lineno}, field="data") from exc
        except ValidationError as exc:
            fields = ", ".join(sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]}))
            raise InputRejected("queue.payload_invalid", {"detail": fields}) from exc
        item_id, created = cli.store.add(
            queue,
            NewItem(
                reference=reference,
                payload=payload.model_dump(mode="json"),
                priority=priority,
                deadline=_parse_time(deadline, "deadline"),
            ),
            actor=cli.actor,
        )
    finally:
        cli.close()
    if created:
        console.print(f"작업 {item_id}번을 '{queue}' 대기열에 넣었습니다.")
    else:
        console.print(f"참조번호 {reference}은(는) 이미 작업 {item_id}번으로 들어 있습니다.")


@app.command("import")
def import_file(
    queue: Annotated[str, typer.Argument(help="대기열 이름")],
    path: Annotated[Path, typer.Argument(help=".xlsx 또는 .csv 파일")],
    priority: Annotated[int, typer.Option(help="우선순위")] = 0,
    errors_to: Annotated[Path | None, typer.Option(help="오류 목록을 저장할 .xlsx")] = None,
) -> None:
    """엑셀·CSV 파일의 행을 작업으로 넣습니다. 잘못된 행은 행 번호와 사유를 알려 줍니다."""
    from civicrpa.queue.importer import import_items, write_error_report  # openpyxl: load late

    cli = CliApp()
    try:
        cli.require(Permission.QUEUE_ADD)
        process = cli.registry.for_queue(queue)
        if process.reference_field is None:
            raise InputRejected("cli.no_reference_field", {"process": process.name})
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("행 검사", total=None)
            report = import_items(
                cli.store,
                queue,
                path,
                process.payload,
                reference_field=process.reference_field,
                actor=cli.actor,
                priority=priority,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    finally:
        cli.close()
    console.print(
        f"추가 {report.added:,}건 · 이미 있음 {len(report.already_queued):,}건 · "
        f"빈 행 {report.empty_rows:,}건 · 오류 {len(report.errors):,}건"
    )
    if report.errors:
        table = Table("행", "항목", "사유")
        for error in report.errors[:30]:
            table.add_row(str(error.row), error.column or "-", error.message_ko)
        console.print(table)
        if len(report.errors) > 30:
            console.print(f"... 외 {len(report.errors) - 30:,}건")
        if errors_to:
            write_error_report(report, errors_to)
            console.print(f"오류 목록을 {errors_to}에 저장했습니다.")
        raise typer.Exit(1)


@app.command("list")
def list_(
    queue: Annotated[str | None, typer.Argument(help="대기열 이름 (생략하면 전체)")] = None,
    state: Annotated[list[str] | None, typer.Option(help="상태로 거르기 (여러 번 가능)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """대기열별 상태 건수와 최근 작업을 보여 줍니다."""
    cli = CliApp()
    try:
        cli.require(Permission.QUEUE_READ)
        states = parse_states(state or [])
        counts = queries.count_by_state(cli.store.engine, queue)
        items = queries.list_items(cli.store.engine, queue=queue, states=states, limit=limit)
        overdue = queries.overdue(cli.store.engine, queue)
    finally:
        cli.close()
    summary = Table("대기열", "상태", "건수", title="상태별 건수", title_justify="left")
    for name, by_state in sorted(counts.items()):
        for item_state, n in sorted(by_state.items()):
            summary.add_row(name, STATE_LABELS_KO[item_state], f"{n:,}")
    console.print(summary)
    if overdue:
        console.print(f"[bold red]처리 기한이 지난 작업: {overdue:,}건[/]")
    table = Table("번호", "대기열", "참조번호", "상태", "시도", "사유", "수정 시각(KST)")
    for item in items:
        table.add_row(
            str(item.id),
            item.queue,
            item.reference,
            STATE_LABELS_KO[item.state],
            str(item.attempts),
            item.failure_message or "",
            format_kst(item.updated_at),
        )
    console.print(table)


@app.command("show")
def show(
    item_id: Annotated[int, typer.Argument(help="작업 번호")],
    reason: Annotated[
        str | None, typer.Option("--reason", "-r", help="개인정보(작업 데이터·결과) 조회 사유")
    ] = None,
) -> None:
    """작업의 처리 상태, 시도 이력, 첨부 파일을 보여 줍니다. 사유를 밝히면 작업 데이터도 보여
    주며, 그 열람은 개인정보 열람 기록에 남습니다."""
    cli = CliApp()
    try:
        cli.require(Permission.QUEUE_READ)
        personal = reason is not None
        if personal:
            identity = cli.require(Permission.QUEUE_READ_PERSONAL)
            # Recorded before the data is read: a refused reason shows nothing.
            record_access(
                cli.store.engine,
                actor=cli.actor,
                role=identity.role.value,
                reason=reason or "",
                subject_kind="work_item",
                subject_id=str(item_id),
                fields=["payload", "output"],
            )
        item = queries.get_item(cli.store.engine, item_id, sealer=cli.sealer if personal else None)
        runs = queries.runs_of(cli.store.engine, item_id)
        artifacts = queries.artifacts_of(cli.store.engine, item_id)
    finally:
        cli.close()
    hidden = '(개인정보: --reason "조회 사유"를 주면 보여 주고 열람 기록을 남깁니다)'
    rows: list[tuple[str, Any]] = [
        ("번호", item.id),
        ("대기열", item.queue),
        ("참조번호", item.reference),
        ("상태", STATE_LABELS_KO[item.state]),
        ("우선순위", item.priority),
        ("처리 기한", format_kst(item.deadline)),
        ("시도 횟수", item.attempts),
        ("사유", item.failure_message or "-"),
        ("등록", format_kst(item.created_at)),
        ("완료", format_kst(item.finished_at)),
        ("파기", format_kst(item.destroyed_at)),
        (
            "데이터",
            json.dumps(mask_value(item.payload), ensure_ascii=False) if personal else hidden,
        ),
        ("결과", json.dumps(mask_value(item.output), ensure_ascii=False) if personal else hidden),
    ]
    detail = Table(show_header=False)
    for label, value in rows:
        detail.add_row(label, str(value))
    console.print(detail)
    history = Table("시도", "로봇", "시작(KST)", "결과", "오류 코드", "단계(ms)", title="시도 이력")
    for run in runs:
        steps = ", ".join(f"{s.name} {s.ms:.0f}" for s in run.steps)
        history.add_row(
            str(run.attempt),
            run.worker,
            format_kst(run.started_at),
            run.outcome.value if run.outcome else "처리 중",
            run.error_code or "",
            steps,
        )
    console.print(history)
    if artifacts:
        files = Table("이름", "종류", "크기", "SHA-256", title="첨부 파일")
        for artifact in artifacts:
            files.add_row(
                artifact.name, artifact.media_type, f"{artifact.size:,}", artifact.sha256[:16]
            )
        console.print(files)


@app.command("postpone")
def postpone(
    item_id: int,
    until: Annotated[str, typer.Option(help="다시 처리할 시각 (KST)")],
    reason: Reason,
) -> None:
    """대기 중인 작업을 정한 시각까지 미룹니다."""
    moment = _parse_time(until, "until")
    assert moment is not None
    _decide(
        lambda cli: cli.decisions.postpone(item_id, until=moment, reason=reason),
        "연기했습니다",
        Permission.ITEM_REQUEUE,
    )


@app.command("requeue")
def requeue(item_id: int, reason: Reason) -> None:
    """실패·중단·업무 예외 작업을 다시 처리하도록 돌려보냅니다."""
    _decide(
        lambda cli: cli.decisions.requeue(item_id, reason=reason),
        "다시 대기열에 넣었습니다",
        Permission.ITEM_REQUEUE,
    )


@app.command("approve")
def approve(item_id: int, reason: Reason) -> None:
    """검토 대기 작업을 승인해 로봇이 다시 처리하게 합니다."""
    _decide(
        lambda cli: cli.decisions.approve(item_id, reason=reason),
        "승인했습니다",
        Permission.ITEM_DECIDE,
    )


@app.command("reject")
def reject(item_id: int, reason: Reason) -> None:
    """검토 대기 작업을 반려합니다 (업무 예외로 끝남)."""
    _decide(
        lambda cli: cli.decisions.reject(item_id, reason=reason),
        "반려했습니다",
        Permission.ITEM_DECIDE,
    )


@app.command("resolve")
def resolve(item_id: int, reason: Reason) -> None:
    """검토 대기 작업을 담당자가 직접 처리한 것으로 마칩니다."""
    _decide(
        lambda cli: cli.decisions.resolve(item_id, reason=reason),
        "처리 완료로 표시했습니다",
        Permission.ITEM_DECIDE,
    )


def _decide(action: Any, done: str, permission: Permission) -> None:
    cli = CliApp()
    try:
        cli.require(permission)
        action(cli)
    finally:
        cli.close()
    console.print(f"작업을 {done}.")
