"""Newly acquired books from a supplier's .xlsx: upload, preview with problems, register.

The upload is kept as a draft (status ``preview``) with every row and its problems, so the
preview can be reopened and 등록 (after the browser's confirm) registers exactly what was shown.
Only rows without problems are registered: a new ISBN becomes a book with its copies, an ISBN
already catalogued gets the copies added. A list is registered once; a second 등록 is refused.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session as DbSession
from starlette.responses import Response

from civicrpa.sandbox.common.app import CsrfChecked, LoggedIn
from civicrpa.sandbox.common.clock import city_stamp, city_today
from civicrpa.sandbox.common.files import posted_file, read_upload
from civicrpa.sandbox.common.forms import form_of
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.library.models import acquisition_lines, acquisitions, books, copies
from civicrpa.sandbox.library.rules import barcode
from civicrpa.sandbox.library.supplier_list import COLUMNS, MAX_ROWS, read_supplier_list

router = APIRouter()
MAX_MB = 5
_CHUNK = 2_000
_OUTCOMES = {"new_book": "신규 도서 등록", "added_copies": "복본 추가"}


def _home(request: Request, errors: dict[str, str], status: int = 200) -> Response:
    with request.app.state.db.session() as session:
        history = session.execute(
            select(acquisitions).order_by(acquisitions.c.id.desc()).limit(20)
        ).all()
    context = {"errors": errors, "history": history, "columns": COLUMNS, "max_rows": MAX_ROWS}
    return render(request, "acquisitions.html", context, status=status)


@router.get("/acquisitions")
def acquisition_home(request: Request, user: LoggedIn) -> Response:
    return _home(request, {})


@router.post("/acquisitions", dependencies=[CsrfChecked])
async def upload(request: Request, user: LoggedIn) -> Response:
    data = await request.form()
    form = form_of(data)
    try:
        sheet = await read_upload(
            form, "file", "납품 목록", posted_file(data, "file"), allowed=(".xlsx",), max_mb=MAX_MB
        )
    finally:
        await data.close()  # the upload's spooled temporary file (its bytes are kept)
    parsed = read_supplier_list(sheet.content, this_year=city_today().year) if sheet else None
    if parsed is not None and parsed.refused:
        form.fail("file", parsed.refused, **parsed.refused_params)
    if sheet is None or parsed is None or not form.ok:
        return _home(request, form.errors, status=422)
    with request.app.state.db.session() as session:
        acquisition_id = session.execute(
            insert(acquisitions)
            .values(
                filename=sheet.filename,
                uploaded_by=user.user,
                uploaded_at=city_stamp(),
                status="preview",
                books_created=0,
                copies_added=0,
            )
            .returning(acquisitions.c.id)
        ).scalar_one()
        session.execute(
            insert(acquisition_lines),
            [
                {
                    **asdict(row),
                    "acquisition_id": acquisition_id,
                    "problems": "\n".join(row.problems),
                }
                for row in parsed.rows
            ],
        )
    return RedirectResponse(f"/acquisitions/{acquisition_id}", status_code=303)


def _load(session: DbSession, acquisition_id: int) -> tuple[Any, list[Any]]:
    acquisition = session.execute(
        select(acquisitions).where(acquisitions.c.id == acquisition_id)
    ).first()
    if acquisition is None:
        raise HTTPException(404)
    lines = session.execute(
        select(acquisition_lines)
        .where(acquisition_lines.c.acquisition_id == acquisition_id)
        .order_by(acquisition_lines.c.row_no)
    ).all()
    return acquisition, list(lines)


@router.get("/acquisitions/{acquisition_id}")
def preview(request: Request, user: LoggedIn, acquisition_id: int) -> Response:
    with request.app.state.db.session() as session:
        acquisition, lines = _load(session, acquisition_id)
        good = [line for line in lines if not line.problems]
        known = set(
            session.execute(
                select(books.c.isbn).where(books.c.isbn.in_([line.isbn for line in good]))
            ).scalars()
        )
    rows = []
    for line in lines:
        if line.outcome:
            action = _OUTCOMES[line.outcome]
        elif line.problems:
            action = "등록 제외"
        else:
            action = "복본 추가" if line.isbn in known else "신규 도서"
        rows.append({**line._asdict(), "action": action, "problems": line.problems.split("\n")})
    summary = {
        "total": len(lines),
        "good": len(good),
        "bad": len(lines) - len(good),
        "copies": sum(line.quantity for line in good),
    }
    context = {"acquisition": acquisition, "rows": rows, "summary": summary}
    return render(request, "preview.html", context)


@router.post("/acquisitions/{acquisition_id}/register", dependencies=[CsrfChecked])
def register(request: Request, user: LoggedIn, acquisition_id: int) -> Response:
    created = added = 0
    with request.app.state.db.session() as session:
        _acquisition, lines = _load(session, acquisition_id)
        good = [line for line in lines if not line.problems]
        claimed = (
            session.execute(
                update(acquisitions)
                .where(acquisitions.c.id == acquisition_id, acquisitions.c.status == "preview")
                .values(status="registered", registered_by=user.user, registered_at=city_stamp())
                .returning(acquisitions.c.id)
            ).first()
            if good
            else None
        )
        if claimed is not None:
            created, added = _register(session, acquisition_id, good, city_today())
            session.execute(
                update(acquisitions)
                .where(acquisitions.c.id == acquisition_id)
                .values(books_created=created, copies_added=added)
            )
    if not good:
        user.flash.append("등록할 수 있는 행이 없습니다. 납품 목록을 고쳐 다시 올리십시오.")
    elif claimed is None:
        user.flash.append("이미 등록한 납품 목록입니다.")
    else:
        user.flash.append(f"등록했습니다: 신규 도서 {created}종, 복본 {added}권")
    return RedirectResponse(f"/acquisitions/{acquisition_id}", status_code=303)


def _register(
    session: DbSession, acquisition_id: int, good: list[Any], day: date
) -> tuple[int, int]:
    """Books for new ISBNs, copies for every good row; (books created, copies added)."""
    known: dict[str, int] = {
        row.isbn: row.id
        for row in session.execute(
            select(books.c.isbn, books.c.id).where(books.c.isbn.in_([g.isbn for g in good]))
        )
    }
    number = session.execute(select(func.coalesce(func.max(copies.c.id), 0))).scalar_one()
    created: list[int] = []
    new_copies: list[dict[str, Any]] = []
    for line in good:
        book_id = known.get(line.isbn)
        if book_id is None:
            book_id = session.execute(
                insert(books)
                .values(
                    isbn=line.isbn,
                    title=line.title,
                    author=line.author,
                    publisher=line.publisher,
                    year=line.year,
                    price=line.price,
                )
                .returning(books.c.id)
            ).scalar_one()
            known[line.isbn] = book_id
            created.append(line.id)
        for _ in range(line.quantity):
            number += 1
            new_copies.append(
                {
                    "id": number,
                    "book_id": book_id,
                    "barcode": barcode(number),
                    "added_on": day,
                    "acquisition_id": acquisition_id,
                }
            )
    for offset in range(0, len(new_copies), _CHUNK):
        session.execute(insert(copies), new_copies[offset : offset + _CHUNK])
    ids = [line.id for line in good]
    session.execute(
        update(acquisition_lines)
        .where(acquisition_lines.c.id.in_(ids))
        .values(outcome="added_copies")
    )
    session.execute(
        update(acquisition_lines)
        .where(acquisition_lines.c.id.in_(created))
        .values(outcome="new_book")
    )
    return len(created), len(new_copies)
