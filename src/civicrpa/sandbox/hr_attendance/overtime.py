"""초과근무 신청: enter an overtime order, list orders, approve or refuse one (confirm dialog).

An order is a time span on one day. On a weekday it must lie outside office hours; a person has
at most one live (pending or approved) order a day, so the attendance export can show it beside
the clock record and robots can take the overlap.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import ColumnElement, and_, func, insert, select, true, update
from starlette.responses import Response

from civicrpa.sandbox.common.app import CsrfChecked, LoggedIn
from civicrpa.sandbox.common.clock import city_stamp, city_today
from civicrpa.sandbox.common.forms import Form, posted
from civicrpa.sandbox.common.listing import list_page
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.hr_attendance.inputs import (
    STAFF_NO_PATTERN,
    EntryForm,
    Field,
    clock_time,
    insert_once,
    month_bounds,
    month_field,
    staff_member,
)
from civicrpa.sandbox.hr_attendance.models import (
    OVERTIME_STATUS_KO,
    OvertimeStatus,
    overtime_requests,
    staff,
)
from civicrpa.sandbox.hr_attendance.workdays import OFFICE_END, OFFICE_START, DayType, day_type

router = APIRouter()
#: How far ahead an order may be entered, and how long one day's order may be.
MAX_DAYS_AHEAD = 90
MAX_HOURS = 12
STATUS_CHOICES = {status.value: text for status, text in OVERTIME_STATUS_KO.items()}
FIELDS = (
    Field(label="직원번호", name="staff_no", maxlength=6, placeholder="예: E00001"),
    Field(label="근무일", name="work_date", maxlength=10, placeholder="예: 2025-10-31"),
    Field(label="시작 시각", name="start_time", maxlength=5, placeholder="예: 18:00"),
    Field(label="종료 시각", name="end_time", maxlength=5, placeholder="예: 21:00"),
    Field(label="사유", name="reason", maxlength=100),
)


ENTRY = EntryForm(
    heading="초과근무 신청",
    action="/overtime/new",
    fields=FIELDS,
    submit="신청",
    intro="평일은 근무시간(09:00~18:00) 밖의 시간만 신청할 수 있습니다. 한 사람은 하루에 한 건만 신청합니다.",
)


@router.get("/overtime/new")
def new_order(request: Request, user: LoggedIn, staff_no: str = "") -> Response:
    return ENTRY.page(request, {"staff_no": staff_no[:6]}, {})


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


@router.post("/overtime/new", dependencies=[CsrfChecked])
async def enter_order(request: Request, user: LoggedIn) -> Response:
    form = await posted(request)
    with request.app.state.db.session() as session:
        person = staff_member(form, session)
        day = form.day("work_date", "근무일")
        start = clock_time(form, "start_time", "시작 시각")
        end = clock_time(form, "end_time", "종료 시각")
        reason = form.text("reason", "사유", max_length=100)
        if day is not None and day > city_today() + timedelta(days=MAX_DAYS_AHEAD):
            form.fail(
                "work_date", "hr_attendance.too_far_ahead", label="근무일", days=MAX_DAYS_AHEAD
            )
        if start is not None and end is not None:
            if end <= start:
                form.fail(
                    "end_time",
                    "hr_attendance.end_not_after_start",
                    label="종료 시각",
                    start="시작 시각",
                )
            elif _minutes(end) - _minutes(start) > MAX_HOURS * 60:
                form.fail("end_time", "hr_attendance.too_long_day", hours=MAX_HOURS)
            elif (
                day is not None
                and day_type(day) is DayType.WEEKDAY
                and start < OFFICE_END
                and end > OFFICE_START
            ):
                form.fail("start_time", "hr_attendance.office_hours")
        if form.ok and person is not None:
            taken = session.execute(
                select(func.count()).where(
                    overtime_requests.c.staff_no == person.staff_no,
                    overtime_requests.c.work_date == day,
                    overtime_requests.c.status != OvertimeStatus.REJECTED.value,
                )
            ).scalar_one()
            if taken:
                form.fail("work_date", "hr_attendance.overtime_taken")
        if not form.ok or person is None or day is None:
            return ENTRY.page(request, form.raw, form.errors, status=422)
    statement = insert(overtime_requests).values(
        staff_no=person.staff_no,
        work_date=day,
        start_time=start,
        end_time=end,
        reason=reason,
        status=OvertimeStatus.PENDING.value,
        requested_by=user.user,
        requested_at=city_stamp(),
    )
    if not insert_once(
        request.app.state.db, statement, form, "work_date", "hr_attendance.overtime_taken"
    ):
        return ENTRY.page(request, form.raw, form.errors, status=422)
    user.flash.append(f"초과근무 신청이 등록되었습니다. ({person.name}, {day})")
    query = urlencode({"staff_no": person.staff_no, "month": f"{day:%Y-%m}"})
    return RedirectResponse(f"/overtime?{query}", status_code=303)


@router.get("/overtime")
def order_list(
    request: Request,
    user: LoggedIn,
    staff_no: str = "",
    month: str = "",
    status: str = "",
    page: int = 1,
) -> Response:
    form = Form({"staff_no": staff_no, "month": month, "status": status})
    number = form.text(
        "staff_no", "직원번호", required=False, max_length=6, pattern=STAFF_NO_PATTERN
    )
    wanted_month = month_field(form, "month", "근무 월", required=False)
    if status and status not in STATUS_CHOICES:
        form.choice("status", "처리 상태", STATUS_CHOICES)
    context: dict[str, Any] = {
        "form": form.raw,
        "errors": form.errors,
        "statuses": STATUS_CHOICES,
        "rows": [],
    }
    if not form.ok:
        return render(request, "overtime.html", context, status=422)
    condition: ColumnElement[bool] = true()
    if number:
        condition = and_(condition, overtime_requests.c.staff_no == number)
    if wanted_month:
        first, following = month_bounds(wanted_month)
        condition = and_(
            condition,
            overtime_requests.c.work_date >= first,
            overtime_requests.c.work_date < following,
        )
    if status:
        condition = and_(condition, overtime_requests.c.status == status)
    joined = overtime_requests.join(staff, staff.c.staff_no == overtime_requests.c.staff_no)
    filters = {"staff_no": number, "month": wanted_month, "status": status}
    with request.app.state.db.session() as session:
        shown = list_page(
            session,
            select(overtime_requests, staff.c.name, staff.c.department)
            .select_from(joined)
            .where(condition)
            .order_by(overtime_requests.c.work_date.desc(), overtime_requests.c.staff_no),
            page=page,
            path="/overtime",
            filters=filters,
        )
    # Where 승인/반려 brings the official back: this very page of the list.
    query = urlencode({key: value for key, value in filters.items() if value})
    context.update(
        shown.context(),
        labels=OVERTIME_STATUS_KO,
        here=f"/overtime?{query}&page={shown.page.number}",
    )
    return render(request, "overtime.html", context)


async def _decide(
    request: Request, user: LoggedIn, order_id: int, status: OvertimeStatus
) -> Response:
    form = await posted(request)
    back = form.raw.get("next", "/overtime")
    back = back if back.startswith("/") and not back.startswith("//") else "/overtime"
    with request.app.state.db.session() as session:
        changed = session.execute(
            update(overtime_requests)
            .where(
                overtime_requests.c.id == order_id,
                overtime_requests.c.status == OvertimeStatus.PENDING.value,
            )
            .values(status=status.value, decided_by=user.user, decided_at=city_stamp())
        ).rowcount
    if changed:
        verb = "승인" if status is OvertimeStatus.APPROVED else "반려"
        user.flash.append(f"초과근무 신청을 {verb}했습니다.")
    else:
        user.flash.append("이미 처리되었거나 없는 신청입니다.")
    return RedirectResponse(back, status_code=303)


@router.post("/overtime/{order_id:int}/approve", dependencies=[CsrfChecked])
async def approve(request: Request, user: LoggedIn, order_id: int) -> Response:
    return await _decide(request, user, order_id, OvertimeStatus.APPROVED)


@router.post("/overtime/{order_id:int}/reject", dependencies=[CsrfChecked])
async def reject(request: Request, user: LoggedIn, order_id: int) -> Response:
    return await _decide(request, user, order_id, OvertimeStatus.REJECTED)
