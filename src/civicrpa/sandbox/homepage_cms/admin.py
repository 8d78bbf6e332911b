"""The officials' screens: notice list and search, new notice, edit, delete, attachments.

Every screen needs a log-in and every POST its CSRF token. A form with errors comes back with
status 422 and its messages, and nothing is written; delete asks the browser's confirm first.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import ColumnElement, Select, delete, func, insert, select, true, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session as DbSession
from starlette.responses import Response

from civicrpa.sandbox.common.app import CsrfChecked, LoggedIn, session_of
from civicrpa.sandbox.common.clock import city_stamp, city_today
from civicrpa.sandbox.common.forms import Form
from civicrpa.sandbox.common.listing import list_page
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.homepage_cms.models import DEPARTMENTS, attachments, notices
from civicrpa.sandbox.homepage_cms.notices import (
    ATTACHMENT_TYPES,
    MAX_ATTACHMENTS,
    attachment_response,
    read_notice_form,
    store_attachments,
)

router = APIRouter()


def title_search(query: str) -> ColumnElement[bool]:
    """Notices whose title contains ``query`` (``%`` and ``_`` taken literally)."""
    return notices.c.title.contains(query, autoescape=True) if query else true()


def board_rows(condition: ColumnElement[bool]) -> Select[Any]:
    """Notices matching ``condition`` as both boards list them: newest first, with their
    number of attachments."""
    files = func.count(attachments.c.id).label("files")
    return (
        select(notices.c.id, notices.c.title, notices.c.department, notices.c.publish_on, files)
        .outerjoin(attachments, attachments.c.notice_id == notices.c.id)
        .where(condition)
        .group_by(notices.c.id)
        .order_by(notices.c.publish_on.desc(), notices.c.id.desc())
    )


def load_notice(session: DbSession, notice_id: int) -> tuple[Row[Any], list[Any]]:
    """A notice and its attachments (without their bytes), or 404."""
    notice = session.execute(select(notices).where(notices.c.id == notice_id)).first()
    if notice is None:
        raise HTTPException(404)
    files = session.execute(
        select(attachments.c.id, attachments.c.filename, attachments.c.size, attachments.c.sha256)
        .where(attachments.c.notice_id == notice_id)
        .order_by(attachments.c.id)
    ).all()
    return notice, list(files)


@router.get("/")
def home(request: Request) -> Response:
    """Officials land on the admin board, everyone else on the public one."""
    target = "/admin/notices" if session_of(request).user else "/notices"
    return RedirectResponse(target, status_code=303)


@router.get("/admin/notices")
def admin_list(request: Request, user: LoggedIn, q: str = "", page: int = 1) -> Response:
    form = Form({"q": q})
    query = form.text("q", "제목", required=False, max_length=100)
    context: dict[str, Any] = {"q": q, "errors": form.errors, "today": city_today()}
    if not form.ok:
        return render(request, "admin_list.html", {**context, "rows": [], "page": None}, 422)
    with request.app.state.db.session() as session:
        shown = list_page(
            session,
            board_rows(title_search(query)),
            page=page,
            path="/admin/notices",
            filters={"q": query},
        )
    return render(
        request, "admin_list.html", {**context, **shown.context(), "departments": DEPARTMENTS}
    )


def _form_page(
    request: Request,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    notice_id: int | None = None,
    files: list[Any] | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "notice_form.html",
        {
            "form": values,
            "errors": errors,
            "notice_id": notice_id,
            "files": files or [],
            "departments": DEPARTMENTS,
            "types": ", ".join(ATTACHMENT_TYPES),
            "max_files": MAX_ATTACHMENTS,
        },
        status=status,
    )


@router.get("/admin/notices/new")
def new_form(request: Request, user: LoggedIn) -> Response:
    return _form_page(request, values={"publish_on": city_today().isoformat()}, errors={})


@router.post("/admin/notices/new", dependencies=[CsrfChecked])
async def create(request: Request, user: LoggedIn) -> Response:
    form, notice = await read_notice_form(request)
    if notice is None:
        return _form_page(request, values=form.raw, errors=form.errors, status=422)
    with request.app.state.db.session() as session:
        notice_id = session.execute(
            insert(notices)
            .values(**notice.values(), created_by=user.user, created_at=city_stamp())
            .returning(notices.c.id)
        ).scalar_one()
        store_attachments(session, notice_id, notice.uploads)
    state = "예약 게시" if notice.publish_on > city_today() else "게시"
    user.flash.append(f"공지사항을 등록했습니다({state}: {notice.publish_on}).")
    return RedirectResponse(f"/admin/notices/{notice_id}", status_code=303)


@router.get("/admin/notices/{notice_id}")
def detail(request: Request, user: LoggedIn, notice_id: int) -> Response:
    with request.app.state.db.session() as session:
        notice, files = load_notice(session, notice_id)
    return render(
        request,
        "admin_notice.html",
        {"notice": notice, "files": files, "departments": DEPARTMENTS, "today": city_today()},
    )


@router.get("/admin/notices/{notice_id}/edit")
def edit_form(request: Request, user: LoggedIn, notice_id: int) -> Response:
    with request.app.state.db.session() as session:
        notice, files = load_notice(session, notice_id)
    values = {**notice._asdict(), "publish_on": notice.publish_on.isoformat()}
    return _form_page(request, values=values, errors={}, notice_id=notice_id, files=files)


@router.post("/admin/notices/{notice_id}/edit", dependencies=[CsrfChecked])
async def edit(request: Request, user: LoggedIn, notice_id: int) -> Response:
    with request.app.state.db.session() as session:
        stored, files = load_notice(session, notice_id)
    form, notice = await read_notice_form(
        request,
        kept_publish_on=stored.publish_on,
        existing=frozenset(f.id for f in files),
    )
    if notice is None:
        return _form_page(
            request,
            values=form.raw,
            errors=form.errors,
            notice_id=notice_id,
            files=files,
            status=422,
        )
    with request.app.state.db.session() as session:
        session.execute(
            update(notices)
            .where(notices.c.id == notice_id)
            .values(**notice.values(), updated_by=user.user, updated_at=city_stamp())
        )
        if notice.remove:
            session.execute(delete(attachments).where(attachments.c.id.in_(notice.remove)))
        store_attachments(session, notice_id, notice.uploads)
    user.flash.append("공지사항을 수정했습니다.")
    return RedirectResponse(f"/admin/notices/{notice_id}", status_code=303)


@router.post("/admin/notices/{notice_id}/delete", dependencies=[CsrfChecked])
def remove(request: Request, user: LoggedIn, notice_id: int) -> Response:
    with request.app.state.db.session() as session:
        notice, _files = load_notice(session, notice_id)
        session.execute(delete(attachments).where(attachments.c.notice_id == notice_id))
        session.execute(delete(notices).where(notices.c.id == notice_id))
    user.flash.append(f"공지사항을 삭제했습니다: {notice.title}")
    return RedirectResponse("/admin/notices", status_code=303)


@router.get("/admin/attachments/{attachment_id}")
def download(request: Request, user: LoggedIn, attachment_id: int) -> Response:
    """Officials may download any attachment, scheduled notices' too."""
    with request.app.state.db.session() as session:
        row = session.execute(
            select(attachments.c.filename, attachments.c.content).where(
                attachments.c.id == attachment_id
            )
        ).first()
    if row is None:
        raise HTTPException(404)
    return attachment_response(row.filename, row.content)
