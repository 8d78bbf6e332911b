"""``civicrpa queue``: add, import, list and inspect work items; people's decisions on them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel, ValidationError
from rich.progress import Progress
from rich.table import Table

from civicrpa.cli.app import CliApp, error_line
from civicrpa.cli.console_output import RUN_OUTCOME_LABELS_KO, console
from civicrpa.cli.help import KoreanTyper
from civicrpa.core.clock import KST, format_kst, utcnow
from civicrpa.core.errors import InputRejected, NotFound, StateConflict
from civicrpa.core.korean import attach
from civicrpa.core.messages import step_title
from civicrpa.queue import queries
from civicrpa.queue.records import DecisionView, ItemView, NewItem
from civicrpa.queue.states import (
    CLAIMABLE,
    DECISION_LABELS_KO,
    STATE_LABELS_KO,
    Action,
    ItemState,
    parse_states,
    sources,
)
from civicrpa.runtime.corrections import parse_corrections, payload_reviser
from civicrpa.runtime.registry import AnyProcess
from civicrpa.security.access_log import record_access
from civicrpa.security.pii import mask_value
from civicrpa.security.rbac import Permission

app = KoreanTyper(help="작업 대기열")

Reason = Annotated[str, typer.Option("--reason", "-r", metavar="사유", help="결정 사유")]
ItemId = Annotated[
    int, typer.Argument(metavar="작업번호", help="작업 번호 (queue list에 나오는 번호)")
]


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
    queue: Annotated[str, typer.Argument(metavar="대기열", help="대기열 이름")],
    reference: Annotated[
        str | None,
        typer.Argument(
            metavar="참조번호",
            help="참조번호: 생략하면 작업 데이터의 참조번호 항목(예: 신청번호)을 쓰고, "
            "주면 그 값과 같아야 합니다",
        ),
    ] = None,
    data: Annotated[
        str,
        typer.Option(
            metavar="JSON",
            help='작업 데이터 (JSON; 항목 이름은 영문 이름이나 한글 제목, 예: {"신청번호": "A-1"})',
        ),
    ] = "{}",
    data_file: Annotated[
        Path | None, typer.Option(metavar="파일", help="작업 데이터 JSON 파일")
    ] = None,
    priority: Annotated[int, typer.Option(metavar="수", help="우선순위 (클수록 먼저)")] = 0,
    deadline: Annotated[
        str | None, typer.Option(metavar="시각", help="처리 기한 (예: 2025-10-31T18:00)")
    ] = None,
) -> None:
    """작업 하나를 대기열에 넣습니다 (같은 참조번호는 한 번만 들어갑니다)."""
    cli = CliApp()
    try:
        cli.require(Permission.QUEUE_ADD)
        process = _process_of(cli, queue)
        payload = _payload(process.payload, _read_data(data, data_file))
        reference = _reference(process, payload, reference)
        item_id, created = cli.store.add(
            queue,
            NewItem(
                reference=reference,
                payload=payload,
                priority=priority,
                deadline=_parse_time(deadline, "deadline"),
            ),
            actor=cli.actor,
        )
    finally:
        cli.close()
    if created:
        console.print(f"작업 {item_id}번을 '{queue}' 대기열에 넣었습니다.", highlight=False)
    else:
        already = attach(f"참조번호 {reference}", "은(는)")
        console.print(f"{already} 이미 작업 {item_id}번으로 들어 있습니다.", highlight=False)


def _read_data(data: str, data_file: Path | None) -> Any:
    """The JSON a person gave, from ``--data`` or ``--data-file``."""
    if data_file is not None:
        try:
            data = data_file.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise InputRejected("import.file_missing", {"name": data_file}, field="data") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise InputRejected(
                "cli.data_file_unreadable", {"name": data_file}, field="data"
            ) from exc
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise InputRejected("cli.bad_json", {"line": exc.lineno}, field="data") from exc


def _payload(model: type[BaseModel], raw: Any) -> dict[str, Any]:
    """``raw`` validated by the process's payload model; its fields may be named by their Korean
    titles, as in a spreadsheet, and every wrong one is named with what is wrong."""
    from civicrpa.queue.importer import field_problems, keyed_by_model  # openpyxl: load late

    if not isinstance(raw, dict):
        raise InputRejected("cli.data_not_object", field="data")
    try:
        payload = model.model_validate(keyed_by_model(raw, model))
    except ValidationError as exc:
        problems = " ".join(field_problems(exc, model))
        raise InputRejected("queue.payload_invalid", {"detail": problems}, field="data") from exc
    return payload.model_dump(mode="json", by_alias=True)


def _reference(process: AnyProcess, payload: dict[str, Any], given: str | None) -> str:
    """The item's reference: the payload's reference field, which a typed one must match (the
    same case must never be queued twice under two references)."""
    if process.reference_field is None:
        if given is None or not given.strip():
            raise InputRejected("cli.reference_needed", {"process": process.title_ko})
        return given.strip()
    from civicrpa.queue.importer import payload_keys, payload_labels
    from civicrpa.queue.tables import normalize_header

    field = process.reference_field
    labels = payload_labels(process.payload)
    value = payload.get(payload_keys(process.payload).get(normalize_header(field), field))
    found = "" if value is None else str(value).strip()
    if given is not None and given.strip() != found:
        raise InputRejected(
            "cli.reference_mismatch",
            {"reference": given.strip(), "field": labels.get(field, field), "value": found or "-"},
            field="reference",
        )
    if not found:
        raise InputRejected("queue.reference_required", field="reference")
    return found


def _process_of(cli: CliApp, queue: str) -> AnyProcess:
    """The process of ``queue``; an unknown queue is refused, naming the known ones."""
    try:
        return cli.registry.for_queue(queue)
    except NotFound:
        raise NotFound("cli.unknown_queue", {"queue": queue, "known": _known(cli)}) from None


def _known(cli: CliApp) -> str:
    names = {process.queue for process in cli.registry}
    return ", ".join(sorted(names)) or "-"


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
    queue: Annotated[
        str | None, typer.Argument(metavar="대기열", help="대기열 이름 (생략하면 전체)")
    ] = None,
    state: Annotated[
        list[str] | None,
        typer.Option(
            metavar="상태",
            help="상태로 거르기: 화면의 한글 이름(업무 예외, 실패 ...)이나 영문(failed); "
            "여러 번 가능",
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option(metavar="건수", min=1, max=1000, help="보여 줄 작업 수")
    ] = 20,
) -> None:
    """대기열별 상태 건수와 최근 작업을 보여 줍니다. 나중에 처리될 작업(분할 지급 등)은 예정일을
    함께 보여 줍니다."""
    cli = CliApp()
    try:
        cli.require(Permission.QUEUE_READ)
        states = parse_states(state or [])
        counts = queries.count_by_state(cli.store.engine, queue)
        if queue is not None and queue not in counts:
            _process_of(cli, queue)  # an empty queue of a process is fine; a typo is not
        items = queries.list_items(cli.store.engine, queue=queue, states=states, limit=limit)
        overdue = queries.overdue(cli.store.engine, queue)
    finally:
        cli.close()
    if not counts:
        where = "" if queue is None else f"'{queue}' 대기열에 "
        console.print(f"{where}작업이 없습니다.", highlight=False)
        return
    summary = Table("대기열", "상태", "건수", title="상태별 건수", title_justify="left")
    for name, by_state in sorted(counts.items()):
        for item_state, n in sorted(by_state.items()):
            if not states or item_state in states:  # the states asked for, as the list below
                summary.add_row(name, STATE_LABELS_KO[item_state], f"{n:,}")
    console.print(summary)
    if overdue:
        console.print(f"[bold red]처리 기한이 지난 작업: {overdue:,}건[/]")
    if not items:
        wanted = ", ".join(STATE_LABELS_KO[s] for s in states)
        console.print(f"{wanted} 상태인 작업이 없습니다." if wanted else "작업이 없습니다.")
        return
    now = utcnow()
    table = Table(
        "번호", "대기열", "참조번호", "상태", "예정일(KST)", "시도", "사유", "수정 시각(KST)"
    )
    for item in items:
        table.add_row(
            str(item.id),
            item.queue,
            item.reference,
            STATE_LABELS_KO[item.state],
            _due(item, now) or "",
            str(item.attempts),
            item.failure_message or "",
            format_kst(item.updated_at),
        )
    console.print(table)


def _due(item: ItemView, now: datetime) -> str | None:
    """When a waiting item becomes due, if that is later than now (a later instalment)."""
    if item.state in CLAIMABLE and _aware(item.available_at) > now:
        return format_kst(item.available_at)
    return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command("show")
def show(
    item_id: ItemId,
    reason: Annotated[
        str | None,
        typer.Option("--reason", "-r", metavar="사유", help="개인정보(작업 데이터·결과) 조회 사유"),
    ] = None,
) -> None:
    """작업의 처리 상태, 시도 이력, 담당자 결정 이력, 첨부 파일을 보여 줍니다. 사유를 밝히면 작업
    데이터도 보여 주며, 그 열람은 개인정보 열람 기록에 남습니다."""
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
        decided = queries.decisions_of(cli.store.engine, item_id)
        labels = _labels_of(cli, item.queue)
        prefix = _prefix_of(cli, item.queue)
    finally:
        cli.close()
    hidden = '(개인정보: --reason "조회 사유"를 주면 보여 주고 열람 기록을 남깁니다)'
    rows: list[tuple[str, Any]] = [
        ("번호", item.id),
        ("대기열", item.queue),
        ("참조번호", item.reference),
        ("상태", STATE_LABELS_KO[item.state]),
        *([("예정일", due)] if (due := _due(item, utcnow())) else []),
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
    if runs:
        history = Table(
            "시도", "로봇", "시작(KST)", "결과", "오류 코드", "단계(ms)", title="시도 이력"
        )
        for run in runs:
            steps = ", ".join(f"{step_title(s.name, prefix)} {s.ms:.0f}" for s in run.steps)
            history.add_row(
                str(run.attempt),
                run.worker,
                format_kst(run.started_at),
                RUN_OUTCOME_LABELS_KO[run.outcome] if run.outcome else "처리 중",
                run.error_code or "",
                steps,
            )
        console.print(history)
    else:
        console.print("시도 이력: 아직 로봇이 처리하지 않았습니다.")
    if decided:
        console.print(_decisions_table(decided, labels))
    if artifacts:
        files = Table("이름", "종류", "크기", "SHA-256", title="첨부 파일")
        for artifact in artifacts:
            files.add_row(
                artifact.name, artifact.media_type, f"{artifact.size:,}", artifact.sha256[:16]
            )
        console.print(files)


def _labels_of(cli: CliApp, queue: str) -> dict[str, str]:
    """Korean titles of the fields of ``queue``'s payload; none when no process runs it now."""
    from civicrpa.queue.importer import payload_labels

    try:
        return payload_labels(cli.registry.for_queue(queue).payload)
    except NotFound:
        return {}


def _prefix_of(cli: CliApp, queue: str) -> str | None:
    """The message prefix of the process that runs ``queue`` (its step titles live there)."""
    try:
        return cli.registry.for_queue(queue).prefix
    except NotFound:
        return None


def _decisions_table(decided: list[DecisionView], labels: dict[str, str]) -> Table:
    """People's decisions on an item: when, who, what, why, which question of the robot it
    settled, and which fields they corrected."""
    table = Table(
        "결정 시각(KST)", "담당자", "결정", "사유", "검토 요청", "고친 항목", title="담당자 결정"
    )
    for decision in decided:
        try:
            what = DECISION_LABELS_KO[Action(decision.action)]
        except (ValueError, KeyError):
            what = decision.action
        corrected = ", ".join(labels.get(f, f) for f in decision.corrected_fields or [])
        table.add_row(
            format_kst(decision.decided_at),
            decision.actor,
            what,
            decision.reason,
            decision.review_code or "-",
            corrected or "-",
        )
    return table


@app.command("postpone")
def postpone(
    item_id: ItemId,
    until: Annotated[str, typer.Option(metavar="시각", help="다시 처리할 시각 (KST)")],
    reason: Reason,
) -> None:
    """대기 중인 작업을 정한 시각까지 미룹니다."""
    moment = _parse_time(until, "until")
    assert moment is not None
    _decide(
        item_id,
        lambda cli: cli.decisions.postpone(item_id, until=moment, reason=reason),
        "연기했습니다",
        Permission.ITEM_REQUEUE,
    )


@app.command("requeue")
def requeue(
    reason: Reason,
    item_ids: Annotated[
        list[int] | None,
        typer.Argument(metavar="작업번호", help="다시 처리할 작업 번호 (여러 개 가능)"),
    ] = None,
    state: Annotated[
        list[str] | None,
        typer.Option(
            metavar="상태",
            help="작업 번호 대신 이 상태의 작업 전부 (실패, 회수 후 중단, 업무 예외; 여러 번 가능)",
        ),
    ] = None,
    queue: Annotated[
        str | None, typer.Option(metavar="대기열", help="--state와 함께: 이 대기열의 작업만")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(metavar="시각", help="--state와 함께: 이 시각 뒤에 그 상태가 된 작업만 (KST)"),
    ] = None,
) -> None:
    """실패·중단·업무 예외 작업을 다시 처리하도록 돌려보냅니다. 작업마다 결정과 감사 기록을 따로
    남기며, 돌려보낼 수 없는 작업이 있어도 나머지는 돌려보냅니다."""
    if bool(item_ids) == bool(state):
        raise InputRejected("cli.requeue_what", field="state")
    cli = CliApp()
    refused: list[tuple[int, str]] = []
    done = 0
    try:
        cli.require(Permission.ITEM_REQUEUE)
        chosen = list(item_ids or []) or _requeue_candidates(cli, state or [], queue, since)
        if item_ids and len(chosen) == 1:
            # One item named: refused, as every decision is, in one line.
            cli.decisions.requeue(chosen[0], reason=reason)
            done = 1
        else:
            # Each item is its own decision (own transaction, decision and audit entry): a wrong
            # one is reported and never stops the rest.
            for item_id in chosen:
                try:
                    cli.decisions.requeue(item_id, reason=reason)
                except (NotFound, StateConflict) as exc:
                    refused.append((item_id, error_line(exc)))
                else:
                    done += 1
    finally:
        cli.close()
    if not chosen:
        console.print("다시 처리할 작업이 없습니다.")
        return
    console.print(f"작업 {done:,}건을 다시 대기열에 넣었습니다.", highlight=False)
    if refused:
        table = Table(
            "번호", "돌려보내지 못한 사유", title=f"돌려보내지 못한 작업 {len(refused):,}건"
        )
        for item_id, why in refused:
            table.add_row(str(item_id), why)
        console.print(table)
        raise typer.Exit(1)


def _requeue_candidates(
    cli: CliApp, states: list[str], queue: str | None, since: str | None
) -> list[int]:
    """Items in ``states`` (of ``queue``, changed since ``since``), oldest first."""
    wanted = parse_states(states)
    allowed = sources(Action.REQUEUE)
    wrong = [s for s in wanted if s not in allowed]
    if wrong:
        raise InputRejected(
            "cli.requeue_state",
            {
                "state": STATE_LABELS_KO[wrong[0]],
                "known": ", ".join(STATE_LABELS_KO[s] for s in ItemState if s in allowed),
            },
            field="state",
        )
    if queue is not None:
        _process_of(cli, queue)
    after = _parse_time(since, "since")
    items = queries.list_items(cli.store.engine, queue=queue, states=wanted, limit=_BULK_MAX)
    return sorted(item.id for item in items if after is None or _aware(item.updated_at) >= after)


@app.command("approve")
def approve(
    item_id: ItemId,
    reason: Reason,
    corrections: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="항목=값",
            help="고칠 항목과 새 값, 예: --set 계좌번호=123-456-789 (여러 번 가능)",
        ),
    ] = None,
) -> None:
    """검토 대기 작업을 승인해 로봇이 다시 처리하게 합니다 (고친 항목과 함께)."""

    def approve_item(cli: CliApp) -> None:
        if not corrections:
            cli.decisions.approve(item_id, reason=reason)
            return
        item = queries.get_item(cli.store.engine, item_id)
        model = cli.registry.for_queue(item.queue).payload
        cli.decisions.approve(
            item_id,
            reason=reason,
            corrections=parse_corrections(corrections, model),
            revise=payload_reviser(model),
        )

    _decide(item_id, approve_item, "승인했습니다", Permission.ITEM_DECIDE)


@app.command("reject")
def reject(item_id: ItemId, reason: Reason) -> None:
    """검토 대기 작업을 반려합니다 (업무 예외로 끝남)."""
    _decide(
        item_id,
        lambda cli: cli.decisions.reject(item_id, reason=reason),
        "반려했습니다",
        Permission.ITEM_DECIDE,
    )


@app.command("resolve")
def resolve(item_id: ItemId, reason: Reason) -> None:
    """검토 대기 작업을 담당자가 직접 처리한 것으로 마칩니다."""
    _decide(
        item_id,
        lambda cli: cli.decisions.resolve(item_id, reason=reason),
        "처리 완료로 표시했습니다",
        Permission.ITEM_DECIDE,
    )


#: Most items one ``queue requeue --state`` sends back (a whole month of a process's failures).
_BULK_MAX = 100_000


def _decide(item_id: int, action: Any, done: str, permission: Permission) -> None:
    """Carry out one person's decision on ``item_id`` and say which item it was and where it
    stands now (a wrong number typed is seen at once)."""
    cli = CliApp()
    try:
        cli.require(permission)
        action(cli)
        item = queries.get_item(cli.store.engine, item_id)
    finally:
        cli.close()
    console.print(
        f"작업 {item.id}번({item.queue}, 참조번호 {item.reference})을 {done}. "
        f"지금 상태: {STATE_LABELS_KO[item.state]}",
        highlight=False,
    )
