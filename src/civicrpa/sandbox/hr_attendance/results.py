"""결과 입력: where robots type what they computed, one entry per person and month (or trip).

초과근무수당 (recognised hours and amount), 급량비 (meals and amount) and 출장여비 (amount per
trip). A second entry for the same person and month, or the same trip, is refused: a robot that
runs twice must not pay twice. Each screen lists what has been entered, newest first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import Row, Table, func, insert, select
from sqlalchemy.orm import Session as DbSession
from starlette.responses import Response

from civicrpa.core.clock import format_kst
from civicrpa.sandbox.common.app import CsrfChecked, LoggedIn
from civicrpa.sandbox.common.clock import city_stamp, city_today
from civicrpa.sandbox.common.forms import Form, posted
from civicrpa.sandbox.common.listing import list_page
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.hr_attendance.inputs import (
    Field,
    insert_once,
    month_field,
    staff_member,
)
from civicrpa.sandbox.hr_attendance.listing import won
from civicrpa.sandbox.hr_attendance.models import (
    meal_allowance_results,
    overtime_pay_results,
    staff,
    travel_expense_results,
    trips,
)

router = APIRouter()
#: 57 hours is the monthly cap of 시간외근무 (지방공무원 수당 등에 관한 규정 Art. 15(4)).
MAX_OVERTIME_HOURS = 57
_STAFF = Field(label="직원번호", name="staff_no", maxlength=6, placeholder="예: E00001")
_MONTH = Field(label="대상 월", name="month", maxlength=7, placeholder="예: 2025-10")
_AMOUNT = Field(label="금액(원)", name="amount", maxlength=12)
_NOTE = Field(label="비고", name="note", maxlength=100, required=False)
#: The values to store (None: errors on the form) from a form and its 직원번호 (None when wrong:
#: the fields are still checked so that every wrong field is marked at once).
Validator = Callable[[Form, DbSession, str | None], dict[str, Any] | None]


@dataclass(frozen=True, kw_only=True)
class ResultKind:
    """One result entry screen."""

    slug: str
    heading: str
    table: Table
    fields: tuple[Field, ...]
    max_amount: int
    validate: Validator
    headers: tuple[str, ...]
    cells: Callable[[Row[Any]], list[object]]


def _monthly(column: str, label: str, maximum: int, table: Table) -> Validator:
    def validate(form: Form, session: DbSession, staff_no: str | None) -> dict[str, Any] | None:
        month = month_field(form, "month", "대상 월")
        count = form.integer(column, label, minimum=0, maximum=maximum)
        if not form.ok or staff_no is None:
            return None
        taken = session.execute(
            select(func.count()).where(table.c.staff_no == staff_no, table.c.month == month)
        ).scalar_one()
        if taken:
            form.fail("month", "hr_attendance.result_taken", month=month)
            return None
        return {"month": month, column: count}

    return validate


def _trip(form: Form, session: DbSession, staff_no: str | None) -> dict[str, Any] | None:
    trip_id = form.integer("trip_id", "출장번호", minimum=1, maximum=10**9)
    if not form.ok or staff_no is None:
        return None
    trip = session.execute(
        select(trips.c.end_at).where(trips.c.id == trip_id, trips.c.staff_no == staff_no)
    ).first()
    if trip is None:
        form.fail("trip_id", "hr_attendance.unknown_trip")
    elif trip.end_at.date() > city_today():
        form.fail("trip_id", "hr_attendance.trip_not_over")
    elif session.execute(
        select(func.count()).where(travel_expense_results.c.trip_id == trip_id)
    ).scalar_one():
        form.fail("trip_id", "hr_attendance.trip_result_taken")
    return {"trip_id": trip_id} if form.ok else None


def _common(row: Row[Any]) -> list[object]:
    return [
        won(row.amount),
        row.note,
        row.entered_by,
        format_kst(row.entered_at.replace(tzinfo=UTC)),
    ]


KINDS = {
    kind.slug: kind
    for kind in (
        ResultKind(
            slug="overtime-pay",
            heading="초과근무수당 입력",
            table=overtime_pay_results,
            fields=(
                _STAFF,
                _MONTH,
                Field(label="인정 시간", name="hours", maxlength=2),
                _AMOUNT,
                _NOTE,
            ),
            max_amount=5_000_000,
            validate=_monthly("hours", "인정 시간", MAX_OVERTIME_HOURS, overtime_pay_results),
            headers=(
                "직원번호",
                "성명",
                "대상 월",
                "인정 시간",
                "금액(원)",
                "비고",
                "입력자",
                "입력일시",
            ),
            cells=lambda r: [r.staff_no, r.name, r.month, r.hours, *_common(r)],
        ),
        ResultKind(
            slug="meal-allowance",
            heading="급량비 입력",
            table=meal_allowance_results,
            fields=(_STAFF, _MONTH, Field(label="식수", name="meals", maxlength=2), _AMOUNT, _NOTE),
            max_amount=2_000_000,
            validate=_monthly("meals", "식수", 62, meal_allowance_results),
            headers=(
                "직원번호",
                "성명",
                "대상 월",
                "식수",
                "금액(원)",
                "비고",
                "입력자",
                "입력일시",
            ),
            cells=lambda r: [r.staff_no, r.name, r.month, r.meals, *_common(r)],
        ),
        ResultKind(
            slug="travel-expenses",
            heading="출장여비 입력",
            table=travel_expense_results,
            fields=(_STAFF, Field(label="출장번호", name="trip_id", maxlength=10), _AMOUNT, _NOTE),
            max_amount=10_000_000,
            validate=_trip,
            headers=("직원번호", "성명", "출장번호", "금액(원)", "비고", "입력자", "입력일시"),
            cells=lambda r: [r.staff_no, r.name, r.trip_id, *_common(r)],
        ),
    )
}


def _page(
    request: Request,
    kind: ResultKind,
    form: Form | None,
    page: int,
    status: int = 200,
    filters: dict[str, str] | None = None,
) -> Response:
    table = kind.table
    filters = {k: v.strip() for k, v in (filters or {}).items() if v and v.strip()}
    statement = (
        select(table, staff.c.name)
        .select_from(table.join(staff, staff.c.staff_no == table.c.staff_no))
        .order_by(table.c.id.desc())
    )
    # One person's entry of a month (or of a trip) found at once, however long the list.
    if "staff_no" in filters:
        statement = statement.where(table.c.staff_no == filters["staff_no"])
    for column in ("month", "trip_id"):
        if column in filters and column in table.c:
            value = filters[column]
            statement = statement.where(
                table.c[column]
                == (int(value) if column == "trip_id" and value.isdigit() else value)
            )
    with request.app.state.db.session() as session:
        shown = list_page(
            session,
            statement,
            page=page,
            path=f"/results/{kind.slug}",
            filters=filters,
            shown=kind.cells,
        )
    return render(
        request,
        "results.html",
        {
            "kind": kind,
            "form": form.raw if form else {},
            "errors": form.errors if form else {},
            **shown.context(),
        },
        status=status,
    )


def _kind(slug: str) -> ResultKind:
    if slug not in KINDS:
        raise HTTPException(404)
    return KINDS[slug]


@router.get("/results/{slug}")
def result_screen(
    request: Request,
    user: LoggedIn,
    slug: str,
    page: int = 1,
    staff_no: str = "",
    month: str = "",
    trip_id: str = "",
) -> Response:
    filters = {"staff_no": staff_no, "month": month, "trip_id": trip_id}
    return _page(request, _kind(slug), None, page, filters=filters)


@router.post("/results/{slug}", dependencies=[CsrfChecked])
async def enter_result(request: Request, user: LoggedIn, slug: str) -> Response:
    kind = _kind(slug)
    form = await posted(request)
    with request.app.state.db.session() as session:
        person = staff_member(form, session)
        amount = form.integer("amount", "금액(원)", minimum=0, maximum=kind.max_amount)
        note = form.text("note", "비고", required=False, max_length=100)
        values = kind.validate(form, session, person.staff_no if person is not None else None)
        if person is None or values is None or not form.ok:
            return _page(request, kind, form, 1, status=422)
    statement = insert(kind.table).values(
        staff_no=person.staff_no,
        amount=amount,
        note=note,
        entered_by=user.user,
        entered_at=city_stamp(),
        **values,
    )
    duplicate = (
        ("month", "hr_attendance.result_taken")
        if "month" in values
        else ("trip_id", "hr_attendance.trip_result_taken")
    )
    if not insert_once(
        request.app.state.db, statement, form, *duplicate, month=values.get("month")
    ):
        return _page(request, kind, form, 1, status=422)
    user.flash.append(f"저장되었습니다. ({person.name})")
    return RedirectResponse(f"/results/{kind.slug}", status_code=303)
