"""Members: a list that masks phone numbers, and a member's card with the books they hold."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import ColumnElement, and_, func, select, true
from starlette.responses import Response

from civicrpa.sandbox.common.app import LoggedIn
from civicrpa.sandbox.common.clock import city_today
from civicrpa.sandbox.common.forms import Form
from civicrpa.sandbox.common.listing import list_page
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.library.models import books, copies, loans, members
from civicrpa.sandbox.library.rules import MAX_LOANS, days_overdue, mask_phone

router = APIRouter()


def _open_loans(*, overdue: bool) -> Any:
    condition = and_(loans.c.member_id == members.c.id, loans.c.returned_on.is_(None))
    if overdue:
        condition = and_(condition, loans.c.due_on < city_today())
    label = "overdue" if overdue else "holding"
    return select(func.count()).where(condition).correlate(members).scalar_subquery().label(label)


@router.get("/members")
def member_list(
    request: Request, user: LoggedIn, name: str = "", member_no: str = "", page: int = 1
) -> Response:
    form = Form({"name": name, "member_no": member_no})
    name = form.text("name", "성명", required=False, max_length=20)
    member_no = form.text("member_no", "회원번호", required=False, max_length=10)
    context: dict[str, Any] = {"form": form.raw, "errors": form.errors}
    if not form.ok:
        return render(request, "members.html", {**context, "rows": [], "page": None}, 422)
    conditions: list[ColumnElement[bool]] = [true()]
    if name:
        conditions.append(members.c.name.contains(name, autoescape=True))
    if member_no:
        conditions.append(members.c.member_no == member_no.upper())
    with request.app.state.db.session() as session:
        shown = list_page(
            session,
            select(
                members.c.member_no,
                members.c.name,
                members.c.phone,
                _open_loans(overdue=False),
                _open_loans(overdue=True),
            )
            .where(and_(*conditions))
            .order_by(members.c.member_no),
            page=page,
            path="/members",
            filters={"name": name, "member_no": member_no},
            shown=lambda row: {**row._asdict(), "phone": mask_phone(row.phone)},
        )
    return render(request, "members.html", {**context, **shown.context()})


@router.get("/members/{member_no}")
def member_card(request: Request, user: LoggedIn, member_no: str) -> Response:
    with request.app.state.db.session() as session:
        member = session.execute(select(members).where(members.c.member_no == member_no)).first()
        if member is None:
            raise HTTPException(404)
        held = session.execute(
            select(
                loans.c.id,
                loans.c.loaned_on,
                loans.c.due_on,
                copies.c.barcode,
                books.c.title,
                books.c.isbn,
            )
            .join(copies, copies.c.id == loans.c.copy_id)
            .join(books, books.c.id == copies.c.book_id)
            .where(loans.c.member_id == member.id, loans.c.returned_on.is_(None))
            .order_by(loans.c.due_on, loans.c.id)
        ).all()
    day = city_today()
    items = [{**row._asdict(), "overdue": days_overdue(row.due_on, day)} for row in held]
    suspended = (
        member.suspended_until if member.suspended_until and member.suspended_until > day else None
    )
    return render(
        request,
        "member.html",
        {"member": member, "items": items, "max_loans": MAX_LOANS, "suspended": suspended},
    )
