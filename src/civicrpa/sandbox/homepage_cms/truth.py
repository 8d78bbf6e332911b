"""Ground truth of the homepage CMS, for tests only (token required; robots never call it).

Notices with their attachments' names, sizes and sha256, and whether a citizen can see them
today: what a test compares with what a robot says it posted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import select
from sqlalchemy.engine import Row

from civicrpa.sandbox.common.clock import city_today
from civicrpa.sandbox.common.truth import count, plain
from civicrpa.sandbox.homepage_cms.admin import title_search
from civicrpa.sandbox.homepage_cms.models import attachments, notices

router = APIRouter()
#: What a notice shows of itself (its stamps stay out: tests compare what officials typed).
_NOTICE_COLUMNS = (
    notices.c.id,
    notices.c.title,
    notices.c.body,
    notices.c.department,
    notices.c.publish_on,
    notices.c.created_by,
    notices.c.updated_by,
)
_FILE_COLUMNS = (
    attachments.c.id,
    attachments.c.notice_id,
    attachments.c.filename,
    attachments.c.size,
    attachments.c.sha256,
)


def _notice(row: Row[Any], files: Sequence[Row[Any]]) -> dict[str, Any]:
    return {
        **plain(row),
        "public": row.publish_on <= city_today(),
        "attachments": [plain(f, drop=("notice_id",)) for f in files if f.notice_id == row.id],
    }


@router.get("/notices")
def all_notices(request: Request, title: str = "") -> list[dict[str, Any]]:
    """Every notice (or those whose title contains ``title``), by id."""
    with request.app.state.db.session() as session:
        rows = session.execute(
            select(*_NOTICE_COLUMNS).where(title_search(title)).order_by(notices.c.id)
        ).all()
        files = session.execute(
            select(*_FILE_COLUMNS)
            .where(attachments.c.notice_id.in_([row.id for row in rows]))
            .order_by(attachments.c.id)
        ).all()
    return [_notice(row, files) for row in rows]


@router.get("/notices/{notice_id}")
def one_notice(request: Request, notice_id: int) -> dict[str, Any]:
    with request.app.state.db.session() as session:
        row = session.execute(select(*_NOTICE_COLUMNS).where(notices.c.id == notice_id)).first()
        if row is None:
            raise HTTPException(404)
        files = session.execute(
            select(*_FILE_COLUMNS)
            .where(attachments.c.notice_id == notice_id)
            .order_by(attachments.c.id)
        ).all()
    return _notice(row, files)


@router.get("/stats")
def stats(request: Request) -> dict[str, int]:
    with request.app.state.db.session() as session:
        total = count(session, notices)
        public = count(session, notices, notices.c.publish_on <= city_today())
        files = count(session, attachments)
    return {"notices": total, "public": public, "scheduled": total - public, "attachments": files}
