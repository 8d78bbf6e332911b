"""The public board citizens see, without log-in: only notices whose 게시일 has come.

A scheduled notice (게시일 after the city's day) is neither listed nor reachable by its URL, nor
are its attachments: a robot that checks visibility sees exactly what a citizen sees. The 번호
column is the notice's place in the list, as Korean public boards number it (the newest the
highest, counted over what the search matched), never its database id.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import ColumnElement, func, select
from starlette.responses import Response

from civicrpa.sandbox.common.clock import city_today
from civicrpa.sandbox.common.forms import Form
from civicrpa.sandbox.common.web import Page, render
from civicrpa.sandbox.homepage_cms.admin import load_notice, title_search
from civicrpa.sandbox.homepage_cms.models import DEPARTMENTS, attachments, notices
from civicrpa.sandbox.homepage_cms.notices import attachment_response

router = APIRouter()
PAGE_SIZE = 10


def _published() -> ColumnElement[bool]:
    return notices.c.publish_on <= city_today()


@router.get("/notices")
def board(request: Request, q: str = "", page: int = 1) -> Response:
    form = Form({"q": q})
    query = form.text("q", "제목", required=False, max_length=100)
    if not form.ok:
        context: dict[str, Any] = {"q": q, "errors": form.errors, "rows": [], "page": None}
        return render(request, "public_list.html", context, status=422)
    condition = _published() & title_search(query)
    with request.app.state.db.session() as session:
        total = session.execute(
            select(func.count()).select_from(notices).where(condition)
        ).scalar_one()
        current = Page.of(page, PAGE_SIZE, total)
        files = func.count(attachments.c.id).label("files")
        rows = session.execute(
            select(notices.c.id, notices.c.title, notices.c.department, notices.c.publish_on, files)
            .outerjoin(attachments, attachments.c.notice_id == notices.c.id)
            .where(condition)
            .group_by(notices.c.id)
            .order_by(notices.c.publish_on.desc(), notices.c.id.desc())
            .limit(PAGE_SIZE)
            .offset(current.offset)
        ).all()
    base = "/notices?" + (urlencode({"q": query}) + "&" if query else "")
    return render(
        request,
        "public_list.html",
        {
            "q": q,
            "errors": {},
            "rows": rows,
            "page": current,
            "base": base,
            "departments": DEPARTMENTS,
        },
    )


@router.get("/notices/{notice_id}")
def notice(request: Request, notice_id: int) -> Response:
    with request.app.state.db.session() as session:
        row, files = load_notice(session, notice_id)
    if row.publish_on > city_today():
        raise HTTPException(404)
    return render(
        request, "public_notice.html", {"notice": row, "files": files, "departments": DEPARTMENTS}
    )


@router.get("/notices/{notice_id}/attachments/{attachment_id}")
def download(request: Request, notice_id: int, attachment_id: int) -> Response:
    with request.app.state.db.session() as session:
        row = session.execute(
            select(attachments.c.filename, attachments.c.content, notices.c.publish_on)
            .join(notices, notices.c.id == attachments.c.notice_id)
            .where(attachments.c.id == attachment_id, attachments.c.notice_id == notice_id)
        ).first()
    if row is None or row.publish_on > city_today():
        raise HTTPException(404)
    return attachment_response(row.filename, row.content)
