"""``civicrpa queue export`` and ``queue artifact``: a queue's items as a spreadsheet for the
department, and one item's attachment as a file.

Both hand personal data to a person, each as the item screens do:

- **export** writes one row per item (number, reference, Korean state, attempts, reason, when it
  was added and finished) and a column per payload field (titled as the process's payload model
  titles it) and per output field. The values are masked (:mod:`civicrpa.security.pii`) for
  those allowed to read items' personal data, and left out for the others; with ``--reason``
  they are written in clear, after the read of every item in the file is recorded in the access
  log.
- **artifact** writes a screenshot or document as it was attached (screenshots are masked
  before capture); a sealed trace (:mod:`civicrpa.runtime.browser.evidence`: the pages and what
  the robot typed, unmasked) is opened only for a person allowed to read personal data who
  gives a reason, recorded in the access log before it is decrypted.

Registered on the ``queue`` command group beside :mod:`civicrpa.cli.commands_queue`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from pydantic import BaseModel

from civicrpa.cli.app import CliApp
from civicrpa.cli.commands_queue import ItemId, _process_of
from civicrpa.cli.console_output import console
from civicrpa.cli.files import reports_folder, stamp, target, write_private
from civicrpa.core.clock import format_kst, to_kst, utcnow
from civicrpa.core.errors import ConfigurationError, InputRejected, NotFound
from civicrpa.core.korean import attach
from civicrpa.queue import queries
from civicrpa.queue.records import ArtifactView, ItemView
from civicrpa.queue.states import STATE_LABELS_KO, ItemState, parse_states
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.security.access_log import record_access, record_accesses
from civicrpa.security.pii import mask_mapping, mask_text, personal_fields
from civicrpa.security.rbac import AccessDenied, Identity, Permission

if TYPE_CHECKING:
    from civicrpa.core.workbook import Sheet

#: Items read per query while exporting.
_PAGE = 5_000
#: How a sealed artifact's name ends; the opened file is saved without it.
_SEALED_SUFFIX = ".sealed"


def export(
    queue: Annotated[str, typer.Argument(metavar="대기열", help="대기열 이름")],
    state: Annotated[
        list[str] | None,
        typer.Option(
            metavar="상태",
            help="이 상태의 작업만: 한글 이름(업무 예외, 실패 ...)이나 영문(failed); 여러 번 가능",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            metavar="파일",
            help="저장할 .xlsx 파일 (기본: 데이터 폴더의 reports/대기열_시각.xlsx)",
        ),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            "-r",
            metavar="사유",
            help="개인정보를 가리지 않고 쓸 때의 열람 사유 (작업마다 열람 기록에 남음)",
        ),
    ] = None,
) -> None:
    """대기열의 작업 목록을 부서에 보낼 엑셀 파일로 저장합니다: 번호, 참조번호, 상태, 시도 횟수,
    사유, 등록·완료 시각과 작업 데이터·결과 항목. 개인정보는 가려서 쓰고, 사유를 밝히면 가리지
    않고 쓰며 그 열람은 개인정보 열람 기록에 남습니다."""
    from civicrpa.core.workbook import workbook_bytes  # openpyxl: loaded by this command only

    cli = CliApp()
    try:
        identity = cli.require(Permission.QUEUE_READ)
        clear = reason is not None
        if clear:
            identity = cli.require(Permission.QUEUE_READ_PERSONAL)
        personal = Permission.QUEUE_READ_PERSONAL in identity.permissions
        process = _process_of(cli, queue)
        states = parse_states(state or [])
        if clear:
            items = _read_recorded(cli, identity, queue, states, reason or "")
        else:
            items = list(_items(cli, queue, states, decrypt=personal))
        sheet = _sheet(
            items,
            process.payload,
            title=f"{process.title_ko} 작업 목록 ({queue})",
            made_by=cli.actor,
            states=states,
            values="clear" if clear else "masked" if personal else "none",
        )
        path = target(out, reports_folder(cli.settings.data_dir), f"{queue}_{stamp()}.xlsx")
        write_private(path, workbook_bytes([sheet]))
    finally:
        cli.close()
    console.print(f"작업 {len(items):,}건을 {path}에 저장했습니다.", highlight=False)
    if clear:
        console.print(
            "개인정보를 가리지 않은 파일입니다. 작업마다 열람 기록을 남겼고, "
            "이 계정만 읽을 수 있게 저장했습니다.",
            highlight=False,
        )
    elif not personal:
        console.print(
            f"'{identity.label_ko}' 역할에는 개인정보 조회 권한이 없어 작업 데이터와 결과 항목은 "
            "빼고 저장했습니다.",
            highlight=False,
        )


def _read_recorded(
    cli: CliApp, identity: Identity, queue: str, states: Sequence[ItemState], reason: str
) -> list[ItemView]:
    """The items decrypted, each read recorded first (as ``queue show --reason`` records one):
    the access log then answers "who read this applicant's data" for exports too. An item
    added meanwhile is left out: the file holds exactly what was recorded."""
    if not reason.strip():
        raise InputRejected("privacy.reason_required", field="reason")
    chosen = {item.id for item in _items(cli, queue, states, decrypt=False)}
    record_accesses(
        cli.store.engine,
        actor=cli.actor,
        role=identity.role.value,
        reason=reason,
        subject_kind="work_item",
        subject_ids=[str(item_id) for item_id in sorted(chosen)],
        fields=["payload", "output"],
    )
    return [item for item in _items(cli, queue, states, decrypt=True) if item.id in chosen]


def _items(
    cli: CliApp, queue: str, states: Sequence[ItemState], *, decrypt: bool
) -> Iterator[ItemView]:
    """The queue's items (of ``states``), oldest first; payloads opened when ``decrypt``."""
    pages: list[list[ItemView]] = []
    offset = 0
    while True:
        page = queries.list_items(
            cli.store.engine,
            queue=queue,
            states=states,
            limit=_PAGE,
            offset=offset,
            sealer=cli.sealer if decrypt else None,
        )
        pages.append(page)
        if len(page) < _PAGE:
            break
        offset += _PAGE
    for page in reversed(pages):  # listed newest first
        yield from reversed(page)


#: Columns every export has, before the payload's and output's.
_ITEM_COLUMNS = ("번호", "참조번호", "상태", "시도 횟수", "사유", "등록(KST)", "완료(KST)")
#: How an export writes payloads and outputs: in clear, masked, or not at all.
Values = Literal["clear", "masked", "none"]
_PRIVACY_LINES: dict[Values, str] = {
    "clear": "개인정보: 가리지 않음 (작업마다 열람 기록에 남김)",
    "masked": "개인정보: 가림",
    "none": "개인정보: 뺌 (작업 데이터·결과 항목 없음)",
}


def _sheet(
    items: Sequence[ItemView],
    model: type[BaseModel],
    *,
    title: str,
    made_by: str,
    states: Sequence[ItemState],
    values: Values,
) -> Sheet:
    """The export's one sheet: title lines, then a row per item."""
    from civicrpa.core.workbook import Column, single_sheet

    titles = _titles(model)
    kinds = personal_fields(model)
    payload_keys: list[str] = []
    output_keys: list[str] = []
    if values != "none":
        payload_keys = _keys(list(titles), (item.payload or {} for item in items))
        output_keys = _keys([], (item.output or {} for item in items))
    columns = [
        *(Column(title=t) for t in _ITEM_COLUMNS),
        *(Column(title=titles.get(key, key)) for key in payload_keys),
        *(Column(title=f"결과: {titles.get(key, key)}") for key in output_keys),
    ]
    rows: list[list[object]] = []
    for item in items:
        payload, output = item.payload or {}, item.output or {}
        if values == "masked":
            payload, output = mask_mapping(payload, kinds), mask_mapping(output, kinds)
        rows.append(
            [
                item.id,
                item.reference if values == "clear" else mask_text(item.reference),
                STATE_LABELS_KO[item.state],
                item.attempts,
                item.failure_message or "",
                to_kst(item.created_at),
                to_kst(item.finished_at) if item.finished_at else None,
                *(_cell(payload.get(key)) for key in payload_keys),
                *(_cell(output.get(key)) for key in output_keys),
            ]
        )
    heading = [title, f"작성: {format_kst(utcnow())} {made_by}", _PRIVACY_LINES[values]]
    if states:
        heading.append("상태: " + ", ".join(STATE_LABELS_KO[s] for s in states))
    return single_sheet("작업 목록", columns, rows, heading=heading)


def _titles(model: type[BaseModel]) -> dict[str, str]:
    """Each field's stored key (as the payload holds it) -> its Korean title, in model order."""
    from civicrpa.queue.importer import payload_labels

    labels = payload_labels(model)
    titles: dict[str, str] = {}
    for name, info in model.model_fields.items():
        key = info.serialization_alias or info.alias or name
        titles[key] = labels.get(key, labels.get(name, name))
    return titles


def _keys(known: list[str], values: Iterator[dict[str, Any]]) -> list[str]:
    """``known`` keys, then any other key the items hold (an older payload's), as first met."""
    keys = dict.fromkeys(known)
    for value in values:
        keys.update(dict.fromkeys(value))
    return list(keys)


def _cell(value: Any) -> object:
    """A payload or output value as one cell: a list of words joined, anything nested as JSON."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


def artifact(
    item_id: ItemId,
    name: Annotated[
        str, typer.Argument(metavar="파일이름", help="첨부 파일 이름 (queue show의 첨부 파일 목록)")
    ],
    out: Annotated[
        Path | None,
        typer.Option(metavar="파일", help="저장할 파일 (기본: 현재 폴더에 첨부 파일 이름으로)"),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            "-r",
            metavar="사유",
            help="봉인된 추적 파일을 열 때의 열람 사유 (열람 기록에 남음)",
        ),
    ] = None,
) -> None:
    """작업의 첨부 파일(화면 캡처, 문서, 추적 파일)을 파일로 저장합니다. 봉인된 추적 파일은
    개인정보 조회 권한이 있는 사람이 사유를 밝혀야 풀어서 저장하며, 그 열람은 개인정보 열람
    기록에 남습니다."""
    # Sealing lives beside the browser that makes traces: loaded by this command only.
    from civicrpa.runtime.sealed import SEALED_MEDIA_TYPE, open_artifact

    cli = CliApp()
    try:
        identity = cli.require(Permission.QUEUE_READ)
        found = _artifact_named(cli, item_id, name)
        sealed = found.media_type == SEALED_MEDIA_TYPE
        if sealed:
            identity = _may_open(cli, found)
            if reason is None:
                raise InputRejected("cli.sealed_artifact_reason", {"name": found.name})
            # Recorded before it is decrypted: a refused reason opens nothing.
            record_access(
                cli.store.engine,
                actor=cli.actor,
                role=identity.role.value,
                reason=reason,
                subject_kind="artifact",
                subject_id=f"{item_id}:{found.name}"[:100],
                fields=[found.name],
            )
        data = _content(cli, found)
        shown = found.name
        if sealed:
            data = open_artifact(cli.sealer.cipher, data, item_id=item_id, name=found.name)
            shown = found.name.removesuffix(_SEALED_SUFFIX) or found.name
        path = write_private(target(out, Path.cwd(), shown), data)
    finally:
        cli.close()
    done = "봉인을 풀어 " if sealed else ""
    what = attach(f"'{found.name}'", "을(를)")
    console.print(
        f"작업 {item_id}번의 {what} {done}{path}에 저장했습니다({len(data):,}바이트).",
        highlight=False,
    )
    if sealed:
        console.print(
            "개인정보가 가려지지 않은 파일입니다. 열람 기록을 남겼고, 이 계정만 읽을 수 있게 "
            "저장했습니다.",
            highlight=False,
        )


def _artifact_named(cli: CliApp, item_id: int, name: str) -> ArtifactView:
    """The item's attachment called ``name`` (the latest attempt's, when several are)."""
    attached = queries.artifacts_of(cli.store.engine, item_id)
    if not attached:
        queries.get_item(cli.store.engine, item_id)  # an unknown item is said so
        raise NotFound("cli.no_artifacts", {"item_id": item_id})
    matching = [a for a in attached if a.name == name.strip()]
    if not matching:
        known = ", ".join(dict.fromkeys(a.name for a in attached))
        raise NotFound("cli.unknown_artifact", {"item_id": item_id, "name": name, "known": known})
    return matching[-1]


def _may_open(cli: CliApp, sealed: ArtifactView) -> Identity:
    """The person, if they may open a sealed trace; otherwise a refusal that says why."""
    try:
        return cli.require(Permission.QUEUE_READ_PERSONAL)
    except AccessDenied as exc:
        if exc.code != "security.access_denied":
            raise  # a disabled person: said as such
        raise AccessDenied(
            "cli.sealed_artifact_denied", {"name": sealed.name, "role": cli.identity.label_ko}
        ) from exc


def _content(cli: CliApp, found: ArtifactView) -> bytes:
    """The attachment's bytes, checked against the hash recorded when it was attached."""
    try:
        data = ArtifactStore(cli.settings.artifacts_dir).read(found.sha256)
    except FileNotFoundError:
        raise NotFound(
            "cli.artifact_content_missing", {"item_id": found.item_id, "name": found.name}
        ) from None
    if hashlib.sha256(data).hexdigest() != found.sha256:
        raise ConfigurationError(
            "cli.artifact_corrupt", {"item_id": found.item_id, "name": found.name}
        )
    return data


__all__ = ["artifact", "export"]
