"""The officials' screens: the inbox and its .xlsx export, an application's detail, status
steps, memos, files.

Everything here needs a log-in. The export is a form on the inbox posting the inbox's filters;
a reason must be chosen (see :mod:`~civicrpa.sandbox.intake.export`). A status step goes
through a modal dialog whose form asks the browser's confirm ("상태를 변경하시겠습니까?")
before it is sent; the server then checks the step against
:data:`~civicrpa.sandbox.intake.workflow.TRANSITIONS` and against the status the official saw,
so a stale screen or a step not drawn there is refused with a message.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from civicrpa.sandbox.common.app import CsrfChecked, LoggedIn
from civicrpa.sandbox.common.clock import city_now
from civicrpa.sandbox.common.db import SandboxDatabase
from civicrpa.sandbox.common.files import xlsx_response
from civicrpa.sandbox.common.forms import Form, message, posted
from civicrpa.sandbox.common.listing import list_page
from civicrpa.sandbox.common.sessions import Session
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.intake.export import (
    EXPORT_HEADER,
    EXPORT_REASONS,
    SHEET_TITLE,
    export_filename,
    export_rows,
    record_download,
)
from civicrpa.sandbox.intake.models import applications, attachments, history
from civicrpa.sandbox.intake.store import (
    add_memo,
    attachment_list,
    change_status,
    find,
    matching,
)
from civicrpa.sandbox.intake.validation import MEMO_MAX, read_status_change
from civicrpa.sandbox.intake.workflow import (
    KIND_LABELS,
    STATUS_LABELS,
    TRANSITIONS,
    Kind,
    Status,
)

router = APIRouter()
_MEDIA_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}


def _actor(user: Session) -> tuple[str, str]:
    username = user.user or ""
    return username, user.display_name or username


def _detail_url(number: str) -> str:
    return f"/applications/{quote(number)}"


def _filters(status: str, kind: str) -> tuple[str, str]:
    """The inbox's filters; unknown values are ignored (all)."""
    status = status if status in {s.value for s in Status} else ""
    kind = kind if kind in {k.value for k in Kind} else ""
    return status, kind


def _inbox(
    request: Request,
    status: str,
    kind: str,
    page: int = 1,
    *,
    export_form: Form | None = None,
    code: int = 200,
) -> Response:
    with request.app.state.db.session() as session:
        shown = list_page(
            session,
            select(applications)
            .where(matching(status=status, kind=kind))
            .order_by(applications.c.received_at.desc(), applications.c.id.desc()),
            page=page,
            path="/inbox",
            filters={"status": status, "kind": kind},
        )
    filters = {key: value for key, value in (("status", status), ("kind", kind)) if value}
    return render(
        request,
        "inbox.html",
        {
            **shown.context(),
            "filters": filters,
            "statuses": {s.value: label for s, label in STATUS_LABELS.items()},
            "kinds": {k.value: label for k, label in KIND_LABELS.items()},
            "reasons": EXPORT_REASONS,
            "export_form": export_form.raw if export_form else {},
            "export_errors": export_form.errors if export_form else {},
        },
        status=code,
    )


@router.get("/inbox")
def inbox(
    request: Request, user: LoggedIn, status: str = "", kind: str = "", page: int = 1
) -> Response:
    """접수 목록, newest first, filtered by status and kind (unknown values are ignored)."""
    return _inbox(request, *_filters(status, kind), page)


@router.post("/inbox/export", dependencies=[CsrfChecked])
async def export(request: Request, user: LoggedIn) -> Response:
    """Every application the inbox's filters match as .xlsx, once a reason is chosen."""
    form = await posted(request)
    status, kind = _filters(form.raw.get("status", ""), form.raw.get("kind", ""))
    reason = form.raw.get("reason", "").strip()
    if reason not in EXPORT_REASONS:
        form.fail("reason", "intake.export_reason")
        return _inbox(request, status, kind, export_form=form, code=422)
    # A whole city's inbox takes seconds to write: off the event loop all the systems share.
    db = request.app.state.db
    return await run_in_threadpool(_export_file, db, _actor(user)[0], reason, status, kind)


def _export_file(
    db: SandboxDatabase, username: str, reason: str, status: str, kind: str
) -> Response:
    """The file, and the download recorded once the file exists."""
    now = city_now()
    with db.session() as session:
        rows = export_rows(session, matching(status=status, kind=kind))
    response = xlsx_response(export_filename(now), SHEET_TITLE, EXPORT_HEADER, rows)
    with db.session() as session:
        record_download(
            session,
            username=username,
            at=now,
            reason=reason,
            status=status,
            kind=kind,
            row_count=len(rows),
        )
    return response


@router.get("/inbox/export")
def export_page(user: LoggedIn) -> Response:
    """Only a form posts here; a browser sent back after logging in lands on the inbox."""
    return RedirectResponse("/inbox", status_code=303)


def _detail(
    request: Request,
    number: str,
    *,
    status_form: Form | None = None,
    memo_form: Form | None = None,
    code: int = 200,
) -> Response:
    with request.app.state.db.session() as session:
        row = find(session, number)
        if row is None:
            raise HTTPException(404)
        files = attachment_list(session, row.id)
        events = session.execute(
            select(history)
            .where(history.c.application_id == row.id)
            .order_by(history.c.at, history.c.id)
        ).all()
    current = Status(row.status)
    context: dict[str, Any] = {
        "app": row,
        "files": files,
        "events": events,
        "next_statuses": [STATUS_LABELS[s] for s in Status if s in TRANSITIONS[current]],
        "statuses": {s.value: label for s, label in STATUS_LABELS.items()},
        "status_form": status_form.raw if status_form else {},
        "status_errors": status_form.errors if status_form else {},
        "memo_form": memo_form.raw if memo_form else {},
        "memo_errors": memo_form.errors if memo_form else {},
        "memo_max": MEMO_MAX,
        "url": _detail_url(number),
    }
    return render(request, "application.html", context, status=code)


@router.get("/applications/{number}")
def detail(request: Request, user: LoggedIn, number: str) -> Response:
    return _detail(request, number)


@router.post("/applications/{number}/status", dependencies=[CsrfChecked])
async def status_step(request: Request, user: LoggedIn, number: str) -> Response:
    form = await posted(request)
    db = request.app.state.db
    with db.session() as session:
        row = find(session, number)
    if row is None:
        raise HTTPException(404)
    current = Status(row.status)
    chosen = read_status_change(form, current)
    if chosen is None:
        return _detail(request, number, status_form=form, code=422)
    target, memo = chosen
    moved = change_status(
        db, row.id, source=current, target=target, memo=memo, user=_actor(user), now=city_now()
    )
    if not moved:  # someone else moved it between our read and our write
        with db.session() as session:
            latest = find(session, number)
        now_status = Status(latest.status) if latest is not None else current
        form.fail("status", "intake.stale", current=STATUS_LABELS[now_status])
        return _detail(request, number, status_form=form, code=422)
    user.flash.append(message("intake.status_changed", status=STATUS_LABELS[target]))
    return RedirectResponse(_detail_url(number), status_code=303)


@router.post("/applications/{number}/memos", dependencies=[CsrfChecked])
async def memo(request: Request, user: LoggedIn, number: str) -> Response:
    form = await posted(request)
    text = form.text("note", "추가 메모", max_length=MEMO_MAX)
    db = request.app.state.db
    with db.session() as session:
        row = find(session, number)
    if row is None:
        raise HTTPException(404)
    if not form.ok:
        return _detail(request, number, memo_form=form, code=422)
    add_memo(db, row.id, memo=text, user=_actor(user), now=city_now())
    user.flash.append(message("intake.memo_added"))
    return RedirectResponse(_detail_url(number), status_code=303)


@router.get("/applications/{number}/attachments/{attachment_id}")
def download(request: Request, user: LoggedIn, number: str, attachment_id: int) -> Response:
    with request.app.state.db.session() as session:
        file = session.execute(
            select(attachments.c.filename, attachments.c.content)
            .join(applications, applications.c.id == attachments.c.application_id)
            .where(attachments.c.id == attachment_id, applications.c.application_no == number)
        ).first()
    if file is None:
        raise HTTPException(404)
    suffix = "." + file.filename.rsplit(".", 1)[-1].lower()
    disposition = f"attachment; filename*=UTF-8''{quote(file.filename)}"
    return Response(
        file.content,
        media_type=_MEDIA_TYPES.get(suffix, "application/octet-stream"),
        headers={"Content-Disposition": disposition},
    )
