"""The public board citizens see, without log-in: only notices whose 게시일 has come.

A scheduled notice (게시일 after the city's day) is neither listed nor reachable by its URL, nor
are its attachments: a robot that checks visibility sees exactly what a citizen sees. The 번호
column is the notice's place in the list, as Korean public boards number it (the newest the
highest, counted over what the search matched), never its database id.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import ColumnElement, select
from starlette.responses import Response

from civicrpa.sandbox.common.clock import city_today
from civicrpa.sandbox.common.forms import Form
from civicrpa.sandbox.common.listing import list_page
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.homepage_cms.admin import board_rows, load_notice, title_search
from civicrpa.sandbox.homepage_cms.models import DEPARTMENTS, attachments, notices
from civicrpa.sandbox.homepage_cms.notices import attachment_response

router = APIRouter()
#: The public board shows ten notices a page, as the county's homepage does.
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
    with request.app.state.db.session() as session:
        shown = list_page(
            session,
            board_rows(_published() & title_search(query)),
            page=page,
            path="/notices",
            filters={"q": query},
            size=PAGE_SIZE,
        )
    context = {"q": q, "errors": {}, **shown.context(), "departments": DEPARTMENTS}
    return render(request, "public_list.html", context)


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
