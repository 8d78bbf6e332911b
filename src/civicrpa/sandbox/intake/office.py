"""The officials' screens: the inbox, an application's detail, status steps, memos, files.

Everything here needs a log-in. A status step goes through a modal dialog whose form asks the
browser's confirm ("상태를 변경하시겠습니까?") before it is sent; the server then checks the
step against :data:`~civicrpa.sandbox.intake.workflow.TRANSITIONS` and against the status the
official saw, so a stale screen or a step not drawn there is refused with a message.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import func, select
from starlette.responses import Response

from civicrpa.core.clock import utcnow
from civicrpa.sandbox.common.app import CsrfChecked, LoggedIn
from civicrpa.sandbox.common.forms import Form
from civicrpa.sandbox.common.sessions import Session
from civicrpa.sandbox.common.web import Page, render
from civicrpa.sandbox.intake.models import applications, attachments, history
from civicrpa.sandbox.intake.store import (
    add_memo,
    attachment_list,
    change_status,
    find,
    matching,
)
from civicrpa.sandbox.intake.validation import (
    MEMO_MAX,
    MESSAGES,
    read_status_change,
    reject,
    text_fields,
)
from civicrpa.sandbox.intake.workflow import (
    KIND_LABELS,
    STATUS_LABELS,
    TRANSITIONS,
    Kind,
    Status,
)

router = APIRouter()
PAGE_SIZE = 20
_MEDIA_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}


def _actor(user: Session) -> tuple[str, str]:
    username = user.user or ""
    return username, user.display_name or username


def _detail_url(number: str) -> str:
    return f"/applications/{quote(number)}"


@router.get("/inbox")
def inbox(
    request: Request, user: LoggedIn, status: str = "", kind: str = "", page: int = 1
) -> Response:
    """접수 목록, newest first, filtered by status and kind (unknown values are ignored)."""
    status = status if status in {s.value for s in Status} else ""
    kind = kind if kind in {k.value for k in Kind} else ""
    condition = matching(status=status, kind=kind)
    with request.app.state.db.session() as session:
        total = session.execute(
            select(func.count()).select_from(applications).where(condition)
        ).scalar_one()
        current = Page.of(page, PAGE_SIZE, total)
        rows = session.execute(
            select(applications)
            .where(condition)
            .order_by(applications.c.received_at.desc(), applications.c.id.desc())
            .limit(PAGE_SIZE)
            .offset(current.offset)
        ).all()
    filters = {key: value for key, value in (("status", status), ("kind", kind)) if value}
    return render(
        request,
        "inbox.html",
        {
            "rows": rows,
            "page": current,
            "filters": filters,
            "base_url": "/inbox?" + urlencode(filters) + ("&" if filters else ""),
            "statuses": {s.value: label for s, label in STATUS_LABELS.items()},
            "kinds": {k.value: label for k, label in KIND_LABELS.items()},
        },
    )


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
    form = text_fields(await request.form())
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
        db, row.id, source=current, target=target, memo=memo, user=_actor(user), now=utcnow()
    )
    if not moved:  # someone else moved it between our read and our write
        with db.session() as session:
            latest = find(session, number)
        now_status = Status(latest.status) if latest is not None else current
        reject(form, "status", "stale", current=STATUS_LABELS[now_status])
        return _detail(request, number, status_form=form, code=422)
    user.flash.append(MESSAGES["status_changed"].format(status=STATUS_LABELS[target]))
    return RedirectResponse(_detail_url(number), status_code=303)


@router.post("/applications/{number}/memos", dependencies=[CsrfChecked])
async def memo(request: Request, user: LoggedIn, number: str) -> Response:
    form = text_fields(await request.form())
    text = form.text("note", "추가 메모", max_length=MEMO_MAX)
    db = request.app.state.db
    with db.session() as session:
        row = find(session, number)
    if row is None:
        raise HTTPException(404)
    if not form.ok:
        return _detail(request, number, memo_form=form, code=422)
    add_memo(db, row.id, memo=text, user=_actor(user), now=utcnow())
    user.flash.append(MESSAGES["memo_added"])
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
