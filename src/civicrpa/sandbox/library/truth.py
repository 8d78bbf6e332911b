"""Ground truth of the library, for tests only (token required; robots never call it).

Books by ISBN with their copies, loans with days overdue, members, and the acquisitions: what a
test compares with what a robot says it lent, returned, exported or registered.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import and_, func, select

from civicrpa.sandbox.common.clock import city_today
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


def _count(request: Request, query: Any) -> int:
    with request.app.state.db.session() as session:
        return int(session.execute(query).scalar_one())


@router.get("/books")
def all_books(request: Request, title: str = "", author: str = "") -> list[dict[str, Any]]:
    """Books (optionally whose 서명/저자 contain the words) with copies and copies on loan."""
    open_loans = and_(loans.c.copy_id == copies.c.id, loans.c.returned_on.is_(None))
    with request.app.state.db.session() as session:
        rows = session.execute(
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
            .order_by(books.c.title, books.c.id)
        ).all()
    return [{k: v for k, v in row._asdict().items() if k != "id"} for row in rows]


@router.get("/books/{isbn}")
def one_book(request: Request, isbn: str) -> dict[str, Any]:
    with request.app.state.db.session() as session:
        book = session.execute(select(books).where(books.c.isbn == isbn)).first()
        if book is None:
            raise HTTPException(404)
        held = session.execute(
            select(copies, loans.c.id.label("loan_id"))
            .outerjoin(loans, and_(loans.c.copy_id == copies.c.id, loans.c.returned_on.is_(None)))
            .where(copies.c.book_id == book.id)
            .order_by(copies.c.id)
        ).all()
    return {
        **{k: v for k, v in book._asdict().items() if k != "id"},
        "copies": [
            {
                "barcode": c.barcode,
                "on_loan": c.loan_id is not None,
                "added_on": c.added_on.isoformat(),
                "acquisition_id": c.acquisition_id,
            }
            for c in held
        ],
    }


@router.get("/members")
def all_members(request: Request) -> list[dict[str, Any]]:
    with request.app.state.db.session() as session:
        rows = session.execute(select(members).order_by(members.c.id)).all()
        holding = {
            row.member_id: row.n
            for row in session.execute(
                select(loans.c.member_id, func.count().label("n"))
                .where(loans.c.returned_on.is_(None))
                .group_by(loans.c.member_id)
            )
        }
    return [
        {
            "member_no": m.member_no,
            "name": m.name,
            "phone": m.phone,
            "open_loans": holding.get(m.id, 0),
            "suspended_until": m.suspended_until.isoformat() if m.suspended_until else None,
        }
        for m in rows
    ]


@router.get("/loans")
def all_loans(request: Request, open_only: bool = False) -> list[dict[str, Any]]:
    query = (
        select(loans, members.c.member_no, copies.c.barcode, books.c.isbn)
        .join(members, members.c.id == loans.c.member_id)
        .join(copies, copies.c.id == loans.c.copy_id)
        .join(books, books.c.id == copies.c.book_id)
        .order_by(loans.c.id)
    )
    if open_only:
        query = query.where(loans.c.returned_on.is_(None))
    with request.app.state.db.session() as session:
        rows = session.execute(query).all()
    day = city_today()
    return [
        {
            "id": r.id,
            "member_no": r.member_no,
            "barcode": r.barcode,
            "isbn": r.isbn,
            "loaned_on": r.loaned_on.isoformat(),
            "due_on": r.due_on.isoformat(),
            "returned_on": r.returned_on.isoformat() if r.returned_on else None,
            "days_overdue": days_overdue(r.due_on, r.returned_on or day),
        }
        for r in rows
    ]


def _acquisition(request: Request, row: Any) -> dict[str, Any]:
    with request.app.state.db.session() as session:
        lines = session.execute(
            select(acquisition_lines)
            .where(acquisition_lines.c.acquisition_id == row.id)
            .order_by(acquisition_lines.c.row_no)
        ).all()
    return {
        **{k: str(v) if v is not None else None for k, v in row._asdict().items()},
        "books_created": row.books_created,
        "copies_added": row.copies_added,
        "lines": [
            {
                "row_no": line.row_no,
                "isbn": line.isbn,
                "title": line.title,
                "quantity": line.quantity,
                "problems": line.problems.split("\n") if line.problems else [],
                "outcome": line.outcome,
            }
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
    return {
        "books": _count(request, select(func.count()).select_from(books)),
        "copies": _count(request, select(func.count()).select_from(copies)),
        "members": _count(request, select(func.count()).select_from(members)),
        "open_loans": _count(request, select(func.count()).where(open_loans)),
        "overdue_loans": _count(
            request, select(func.count()).where(open_loans, loans.c.due_on < city_today())
        ),
        "acquisitions": _count(request, select(func.count()).select_from(acquisitions)),
    }
