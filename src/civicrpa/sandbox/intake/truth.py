"""Ground truth of the intake system, for tests only (token required; robots never call it).

Unlike the screens it gives the full resident number and the seed's own notes (which registry
rows an application was drawn from, what it deliberately got wrong), so a test can judge what
a robot concluded. Each application comes with every column (``application_no``, ``kind``,
``status``, ``channel``, ``seed_anomaly``, ``registry_applicant_id``, ``registry_child_id``,
``multiple_birth``, ``care_group``, ``centre_in_city``, ``care_days``, ...), the kinds of files
it has (``documents``) and its history, memos included; ``/downloads`` lists every .xlsx export
of the inbox.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from civicrpa.sandbox.common.truth import count, plain, query
from civicrpa.sandbox.intake.models import applications, attachments, downloads, history
from civicrpa.sandbox.intake.store import find, matching

router = APIRouter()


def _histories(session: Session, ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for offset in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
        rows = session.execute(
            select(history)
            .where(history.c.application_id.in_(ids[offset : offset + 500]))
            .order_by(history.c.at, history.c.id)
        ).all()
        for event in rows:
            found[event.application_id].append(plain(event, drop=("id", "application_id")))
    return found


def _documents(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {i: [] for i in ids}
    for offset in range(0, len(ids), 500):
        rows = session.execute(
            select(attachments.c.application_id, attachments.c.kind)
            .where(attachments.c.application_id.in_(ids[offset : offset + 500]))
            .order_by(attachments.c.id)
        ).all()
        for app_id, kind in rows:
            found[app_id].append(kind)
    return found


@router.get("/applications")
def listing(
    request: Request, status: str = "", kind: str = "", anomaly: str = ""
) -> list[dict[str, Any]]:
    """Every application (optionally of one status, kind and seed anomaly) with the kinds of
    its files and its history, by id (the order of receipt for seeded ones)."""
    condition = matching(status=status, kind=kind)
    if anomaly:
        condition = and_(condition, applications.c.seed_anomaly == anomaly)
    with request.app.state.db.session() as session:
        rows = session.execute(
            select(applications).where(condition).order_by(applications.c.id)
        ).all()
        ids = [row.id for row in rows]
        events = _histories(session, ids)
        files = _documents(session, ids)
    return [{**plain(row), "documents": files[row.id], "history": events[row.id]} for row in rows]


@router.get("/applications/{number}")
def one(request: Request, number: str) -> dict[str, Any]:
    """One application by 접수번호, with its full resident number, files' digests and history."""
    with request.app.state.db.session() as session:
        row = find(session, number)
        if row is None:
            raise HTTPException(404)
        files = session.execute(
            select(attachments).where(attachments.c.application_id == row.id)
        ).all()
        events = _histories(session, [row.id])
    return {
        **plain(row),
        "attachments": [
            {
                "id": f.id,
                "kind": f.kind,
                "filename": f.filename,
                "size": f.size,
                "sha256": hashlib.sha256(f.content).hexdigest(),
            }
            for f in files
        ],
        "documents": [f.kind for f in files],
        "history": events[row.id],
    }


@router.get("/downloads")
def download_log(request: Request) -> list[dict[str, Any]]:
    """Every .xlsx export of the inbox, oldest first: username, at (UTC), reason, filters
    (``filter_status``, ``filter_kind``; "" for all) and row_count."""
    return query(request, select(downloads).order_by(downloads.c.id))


@router.get("/counts")
def counts(request: Request) -> dict[str, Any]:
    """How many applications there are, in all and by status and by kind."""
    with request.app.state.db.session() as session:
        by_status = session.execute(
            select(applications.c.status, func.count()).group_by(applications.c.status)
        ).all()
        by_kind = session.execute(
            select(applications.c.kind, func.count()).group_by(applications.c.kind)
        ).all()
        total = count(session, applications)
        attached = count(session, attachments)
        events = count(session, history)
        exported = count(session, downloads)
    return {
        "total": total,
        "by_status": {status: n for status, n in by_status},
        "by_kind": {kind: n for kind, n in by_kind},
        "attachments": attached,
        "history": events,
        "downloads": exported,
    }
