"""Ground truth of the library, for tests only (token required; robots never call it).

Books by ISBN with their copies, loans with days overdue, members, and the acquisitions: what a
test compares with what a robot says it lent, returned, exported or registered. Database ids
are left out where a book, copy or member has its own number (ISBN, 등록번호, 회원번호).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import and_, func, select

from civicrpa.sandbox.common.clock import city_today
from civicrpa.sandbox.common.truth import count, plain, plain_all, query
from civicrpa.sandbox.library.models import (
    acquisition_lines,
    acquisitions,
    books,
    copies,
    loans,
    members,
)
from civicrpa.sandbox.library.rules import days_overdue

router = APIRouter()


@router.get("/books")
def all_books(request: Request, title: str = "", author: str = "") -> list[dict[str, Any]]:
    """Books (optionally whose 서명/저자 contain the words) with copies and copies on loan."""
    open_loans = and_(loans.c.copy_id == copies.c.id, loans.c.returned_on.is_(None))
    return query(
        request,
        select(
            books,
            func.count(copies.c.id).label("copies"),
            func.count(loans.c.id).label("on_loan"),
        )
        .outerjoin(copies, copies.c.book_id == books.c.id)
        .outerjoin(loans, open_loans)
        .where(
            books.c.title.contains(title, autoescape=True),
            books.c.author.contains(author, autoescape=True),
        )
        .group_by(books.c.id)
        .order_by(books.c.title, books.c.id),
        drop=("id",),
    )


@router.get("/books/{isbn}")
def one_book(request: Request, isbn: str) -> dict[str, Any]:
    with request.app.state.db.session() as session:
        book = session.execute(select(books).where(books.c.isbn == isbn)).first()
        if book is None:
            raise HTTPException(404)
        held = session.execute(
            select(
                copies.c.barcode,
                (loans.c.id.is_not(None)).label("on_loan"),
                copies.c.added_on,
                copies.c.acquisition_id,
            )
            .outerjoin(loans, and_(loans.c.copy_id == copies.c.id, loans.c.returned_on.is_(None)))
            .where(copies.c.book_id == book.id)
            .order_by(copies.c.id)
        ).all()
    return {**plain(book, drop=("id",)), "copies": plain_all(held)}


@router.get("/members")
def all_members(request: Request) -> list[dict[str, Any]]:
    columns = (members.c.id, members.c.member_no, members.c.name, members.c.phone)
    with request.app.state.db.session() as session:
        rows = session.execute(
            select(*columns, members.c.suspended_until).order_by(members.c.id)
        ).all()
        holding = {
            row.member_id: row.n
            for row in session.execute(
                select(loans.c.member_id, func.count().label("n"))
                .where(loans.c.returned_on.is_(None))
                .group_by(loans.c.member_id)
            )
        }
    return [{**plain(m, drop=("id",)), "open_loans": holding.get(m.id, 0)} for m in rows]


@router.get("/loans")
def all_loans(request: Request, open_only: bool = False) -> list[dict[str, Any]]:
    statement = (
        select(
            loans.c.id,
            members.c.member_no,
            copies.c.barcode,
            books.c.isbn,
            loans.c.loaned_on,
            loans.c.due_on,
            loans.c.returned_on,
        )
        .join(members, members.c.id == loans.c.member_id)
        .join(copies, copies.c.id == loans.c.copy_id)
        .join(books, books.c.id == copies.c.book_id)
        .order_by(loans.c.id)
    )
    if open_only:
        statement = statement.where(loans.c.returned_on.is_(None))
    with request.app.state.db.session() as session:
        rows = session.execute(statement).all()
    day = city_today()
    return [
        {**plain(r), "days_overdue": days_overdue(r.due_on, r.returned_on or day)} for r in rows
    ]


def _acquisition(request: Request, row: Any) -> dict[str, Any]:
    with request.app.state.db.session() as session:
        lines = session.execute(
            select(
                acquisition_lines.c.row_no,
                acquisition_lines.c.isbn,
                acquisition_lines.c.title,
                acquisition_lines.c.quantity,
                acquisition_lines.c.problems,
                acquisition_lines.c.outcome,
            )
            .where(acquisition_lines.c.acquisition_id == row.id)
            .order_by(acquisition_lines.c.row_no)
        ).all()
    return {
        **plain(row),
        "lines": [
            {**plain(line), "problems": line.problems.split("\n") if line.problems else []}
            for line in lines
        ],
    }


@router.get("/acquisitions")
def all_acquisitions(request: Request) -> list[dict[str, Any]]:
    with request.app.state.db.session() as session:
        rows = session.execute(select(acquisitions).order_by(acquisitions.c.id)).all()
    return [_acquisition(request, row) for row in rows]


@router.get("/acquisitions/last")
def last_registration(request: Request) -> dict[str, Any] | None:
    """The last registered supplier list, or null."""
    with request.app.state.db.session() as session:
        row = session.execute(
            select(acquisitions)
            .where(acquisitions.c.status == "registered")
            .order_by(acquisitions.c.registered_at.desc(), acquisitions.c.id.desc())
            .limit(1)
        ).first()
    return _acquisition(request, row) if row is not None else None


@router.get("/stats")
def stats(request: Request) -> dict[str, int]:
    open_loans = loans.c.returned_on.is_(None)
    with request.app.state.db.session() as session:
        return {
            "books": count(session, books),
            "copies": count(session, copies),
            "members": count(session, members),
            "open_loans": count(session, loans, open_loans),
            "overdue_loans": count(session, loans, open_loans, loans.c.due_on < city_today()),
            "acquisitions": count(session, acquisitions),
        }
