"""The catalogue: search by 서명, 저자 or ISBN, a page of results, a book with its copies."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import ColumnElement, and_, func, select, true
from starlette.responses import Response

from civicrpa.sandbox.common.app import LoggedIn
from civicrpa.sandbox.common.clock import city_today
from civicrpa.sandbox.common.forms import Form
from civicrpa.sandbox.common.listing import list_page
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.library.models import books, copies, loans
from civicrpa.sandbox.library.rules import days_overdue, normal_isbn

router = APIRouter()


def _held() -> Any:
    return (
        select(func.count())
        .where(copies.c.book_id == books.c.id)
        .correlate(books)
        .scalar_subquery()
        .label("held")
    )


def _lent() -> Any:
    return (
        select(func.count())
        .select_from(loans.join(copies, copies.c.id == loans.c.copy_id))
        .where(copies.c.book_id == books.c.id, loans.c.returned_on.is_(None))
        .correlate(books)
        .scalar_subquery()
        .label("lent")
    )


@router.get("/")
def home(user: LoggedIn) -> Response:
    return RedirectResponse("/books", status_code=303)


@router.get("/books")
def search(
    request: Request,
    user: LoggedIn,
    title: str = "",
    author: str = "",
    isbn: str = "",
    page: int = 1,
) -> Response:
    form = Form({"title": title, "author": author, "isbn": isbn})
    title = form.text("title", "서명", required=False, max_length=100)
    author = form.text("author", "저자", required=False, max_length=50)
    isbn = form.digits("isbn", "ISBN", max_length=17) if isbn.strip() else ""
    context: dict[str, Any] = {"form": form.raw, "errors": form.errors}
    if not form.ok:
        return render(request, "books.html", {**context, "rows": [], "page": None}, 422)
    conditions: list[ColumnElement[bool]] = [true()]
    if title:
        conditions.append(books.c.title.contains(title, autoescape=True))
    if author:
        conditions.append(books.c.author.contains(author, autoescape=True))
    if isbn:
        conditions.append(books.c.isbn.contains(normal_isbn(isbn), autoescape=True))
    with request.app.state.db.session() as session:
        shown = list_page(
            session,
            select(books, _held(), _lent())
            .where(and_(*conditions))
            .order_by(books.c.title, books.c.id),
            page=page,
            path="/books",
            filters={"title": title, "author": author, "isbn": isbn},
        )
    return render(request, "books.html", {**context, **shown.context()})


@router.get("/books/{isbn}")
def book(request: Request, user: LoggedIn, isbn: str) -> Response:
    with request.app.state.db.session() as session:
        found = session.execute(select(books).where(books.c.isbn == isbn)).first()
        if found is None:
            raise HTTPException(404)
        held = session.execute(
            select(
                copies.c.barcode,
                copies.c.added_on,
                loans.c.due_on,
            )
            .outerjoin(loans, and_(loans.c.copy_id == copies.c.id, loans.c.returned_on.is_(None)))
            .where(copies.c.book_id == found.id)
            .order_by(copies.c.barcode)
        ).all()
    day = city_today()
    items = [
        {
            "barcode": row.barcode,
            "added_on": row.added_on,
            "due_on": row.due_on,
            "overdue": days_overdue(row.due_on, day) if row.due_on else 0,
        }
        for row in held
    ]
    return render(request, "book.html", {"book": found, "items": items})
