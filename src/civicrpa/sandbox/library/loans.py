"""Loans at the desk: lend a copy to a member, take it back, and the overdue list with export.

Lending follows :mod:`rules`: 14 days, at most 5 books at once, none while a book is overdue or
while a suspension lasts. A late return suspends the member one day per day late. The overdue
export is the sheet the overdue-SMS work starts from, so it carries the full phone number; the
screen masks it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import Select, insert, select, update
from sqlalchemy.orm import Session as DbSession
from starlette.responses import Response

from civicrpa.sandbox.common.app import CsrfChecked, LoggedIn
from civicrpa.sandbox.common.clock import city_today
from civicrpa.sandbox.common.files import xlsx_response
from civicrpa.sandbox.common.forms import Form, add_messages, posted
from civicrpa.sandbox.common.listing import list_page
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.library.models import books, copies, loans, members
from civicrpa.sandbox.library.rules import (
    LOAN_DAYS,
    MAX_LOANS,
    days_overdue,
    mask_phone,
    suspended_until,
)

router = APIRouter()
#: The desk's refusals, as ``library.<code>``: an unknown member or copy, and the lending rules.
add_messages(
    "library",
    {
        "unknown_member": "회원번호에 해당하는 회원이 없습니다.",
        "unknown_copy": "등록번호에 해당하는 자료가 없습니다.",
        "copy_on_loan": "이미 대출 중인 자료입니다. 먼저 반납 처리하십시오.",
        "suspended": "연체로 대출이 정지된 회원입니다({until}부터 대출할 수 있습니다).",
        "holds_overdue": "연체 중인 자료가 있는 회원에게는 대출할 수 없습니다.",
        "loan_limit": "1인 대출 한도({max_loans}권)를 넘을 수 없습니다.",
        "not_on_loan": "대출 중인 자료가 아닙니다.",
    },
)
EXPORT_HEADER = (
    "회원번호",
    "성명",
    "전화번호",
    "등록번호",
    "ISBN",
    "서명",
    "대출일",
    "반납 예정일",
    "연체 일수",
)


@router.get("/loans/new")
def lend_form(request: Request, user: LoggedIn, member_no: str = "") -> Response:
    return render(request, "lend.html", {"form": {"member_no": member_no}, "errors": {}})


@router.post("/loans/new", dependencies=[CsrfChecked])
async def lend(request: Request, user: LoggedIn) -> Response:
    form = await posted(request)
    member_no = form.text("member_no", "회원번호", max_length=10).upper()
    code = form.text("barcode", "등록번호", max_length=12).upper()
    day = city_today()
    due = day + timedelta(days=LOAN_DAYS)
    title = ""
    with request.app.state.db.session() as session:
        member = session.execute(select(members).where(members.c.member_no == member_no)).first()
        item = session.execute(
            select(copies.c.id, books.c.title)
            .join(books, books.c.id == copies.c.book_id)
            .where(copies.c.barcode == code)
        ).first()
        if form.ok and member is None:
            form.fail("member_no", "library.unknown_member")
        if form.ok and item is None:
            form.fail("barcode", "library.unknown_copy")
        if form.ok and member is not None and item is not None:
            _check_lending(session, form, member, item.id, day)
        if form.ok and member is not None and item is not None:
            session.execute(
                insert(loans).values(
                    copy_id=item.id,
                    member_id=member.id,
                    loaned_on=day,
                    due_on=due,
                    loaned_by=user.user,
                )
            )
            title = item.title
    if not form.ok:
        return render(request, "lend.html", {"form": form.raw, "errors": form.errors}, 422)
    user.flash.append(f"대출했습니다: {title} (반납 예정일 {due})")
    return RedirectResponse(f"/members/{member_no}", status_code=303)


def _check_lending(session: DbSession, form: Form, member: Any, copy_id: int, day: date) -> None:
    """The library's lending rules, each refusal with its Korean reason."""
    lent = session.execute(
        select(loans.c.id).where(loans.c.copy_id == copy_id, loans.c.returned_on.is_(None))
    ).first()
    held = session.execute(
        select(loans.c.due_on).where(loans.c.member_id == member.id, loans.c.returned_on.is_(None))
    ).all()
    if lent is not None:
        form.fail("barcode", "library.copy_on_loan")
    elif member.suspended_until is not None and member.suspended_until > day:
        form.fail("member_no", "library.suspended", until=member.suspended_until)
    elif any(row.due_on < day for row in held):
        form.fail("member_no", "library.holds_overdue")
    elif len(held) >= MAX_LOANS:
        form.fail("member_no", "library.loan_limit", max_loans=MAX_LOANS)


def _take_back(session: DbSession, loan_id: int, username: str | None, day: date) -> str | None:
    """Return an open loan; the Korean notice to show, or None when it was not open."""
    loan = session.execute(
        select(loans.c.id, loans.c.member_id, loans.c.due_on, books.c.title)
        .join(copies, copies.c.id == loans.c.copy_id)
        .join(books, books.c.id == copies.c.book_id)
        .where(loans.c.id == loan_id, loans.c.returned_on.is_(None))
    ).first()
    if loan is None:
        return None
    session.execute(
        update(loans).where(loans.c.id == loan_id).values(returned_on=day, returned_by=username)
    )
    late = days_overdue(loan.due_on, day)
    until = suspended_until(day, late)
    if until is None:
        return f"반납했습니다: {loan.title}"
    current = session.execute(
        select(members.c.suspended_until).where(members.c.id == loan.member_id)
    ).scalar_one()
    session.execute(
        update(members)
        .where(members.c.id == loan.member_id)
        .values(suspended_until=max(current or until, until))
    )
    return f"반납했습니다: {loan.title} (연체 {late}일, {until}부터 다시 대출할 수 있습니다)"


@router.post("/loans/{loan_id}/return", dependencies=[CsrfChecked])
def return_loan(request: Request, user: LoggedIn, loan_id: int) -> Response:
    with request.app.state.db.session() as session:
        member_no = session.execute(
            select(members.c.member_no)
            .join(loans, loans.c.member_id == members.c.id)
            .where(loans.c.id == loan_id)
        ).scalar_one_or_none()
        notice = _take_back(session, loan_id, user.user, city_today())
    user.flash.append(notice or "이미 반납된 자료입니다.")
    return RedirectResponse(f"/members/{member_no}" if member_no else "/loans/return", 303)


@router.get("/loans/return")
def return_form(request: Request, user: LoggedIn) -> Response:
    return render(request, "return.html", {"form": {}, "errors": {}})


@router.post("/loans/return", dependencies=[CsrfChecked])
async def return_desk(request: Request, user: LoggedIn) -> Response:
    form = await posted(request)
    code = form.text("barcode", "등록번호", max_length=12).upper()
    notice = None
    with request.app.state.db.session() as session:
        if form.ok:
            found = session.execute(
                select(copies.c.id, loans.c.id.label("loan_id"))
                .outerjoin(loans, (loans.c.copy_id == copies.c.id) & loans.c.returned_on.is_(None))
                .where(copies.c.barcode == code)
            ).first()
            if found is None:
                form.fail("barcode", "library.unknown_copy")
            elif found.loan_id is None:
                form.fail("barcode", "library.not_on_loan")
            else:
                notice = _take_back(session, found.loan_id, user.user, city_today())
    if not form.ok or notice is None:
        return render(request, "return.html", {"form": form.raw, "errors": form.errors}, 422)
    user.flash.append(notice)
    return RedirectResponse("/loans/return", status_code=303)


def _overdue(day: date) -> Select[Any]:
    return (
        select(
            members.c.member_no,
            members.c.name,
            members.c.phone,
            copies.c.barcode,
            books.c.isbn,
            books.c.title,
            loans.c.loaned_on,
            loans.c.due_on,
        )
        .join(copies, copies.c.id == loans.c.copy_id)
        .join(books, books.c.id == copies.c.book_id)
        .join(members, members.c.id == loans.c.member_id)
        .where(loans.c.returned_on.is_(None), loans.c.due_on < day)
        .order_by(loans.c.due_on, loans.c.id)
    )


@router.get("/loans/overdue")
def overdue_list(request: Request, user: LoggedIn, page: int = 1) -> Response:
    day = city_today()
    with request.app.state.db.session() as session:
        shown = list_page(
            session,
            _overdue(day),
            page=page,
            path="/loans/overdue",
            shown=lambda row: {
                **row._asdict(),
                "phone": mask_phone(row.phone),
                "days": days_overdue(row.due_on, day),
            },
        )
    return render(request, "overdue.html", {**shown.context(), "today": day})


@router.get("/loans/overdue.xlsx")
def overdue_export(request: Request, user: LoggedIn) -> Response:
    day = city_today()
    with request.app.state.db.session() as session:
        rows = session.execute(_overdue(day)).all()
    return xlsx_response(
        f"연체목록_{day:%Y%m%d}.xlsx",
        "연체 목록",
        EXPORT_HEADER,
        (
            (
                row.member_no,
                row.name,
                row.phone,
                row.barcode,
                row.isbn,
                row.title,
                row.loaned_on.isoformat(),
                row.due_on.isoformat(),
                days_overdue(row.due_on, day),
            )
            for row in rows
        ),
    )
