"""근태 자료 내려받기: a month's clock records, with each day's overtime order, as .xlsx.

One row per clock record (days without one, such as leave or a 관외 trip, have no row), ordered
by staff number and day. Columns (all text but 호봉):

직원번호, 성명, 부서, 직급, 호봉, 근무일 (YYYY-MM-DD), 요일, 근무 구분 (평일/토요일/일요일/공휴일),
출근, 퇴근 (HH:MM, empty when not recorded), 초과근무 명령 시작, 초과근무 명령 종료 (HH:MM),
명령 상태 (승인/대기/반려, empty without an order), 초과근무 인정 여부 (Y when an approved order
exists and the day has a clock-out, else N).

The export does not compute minutes: recognising time (overlap of order and record, the weekday
hour, daily and monthly caps) is the overtime robot's job.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import Row, select
from starlette.responses import Response

from civicrpa.sandbox.common.app import LoggedIn
from civicrpa.sandbox.common.files import xlsx_response
from civicrpa.sandbox.common.forms import Form
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.hr_attendance.inputs import month_bounds, month_field
from civicrpa.sandbox.hr_attendance.models import (
    DEPARTMENTS,
    OVERTIME_STATUS_KO,
    OvertimeStatus,
    attendance,
    overtime_requests,
    staff,
)
from civicrpa.sandbox.hr_attendance.seed import SEED_MONTHS
from civicrpa.sandbox.hr_attendance.workdays import DAY_TYPE_KO, WEEKDAY_KO, DayType

router = APIRouter()
HEADER = (
    "직원번호",
    "성명",
    "부서",
    "직급",
    "호봉",
    "근무일",
    "요일",
    "근무 구분",
    "출근",
    "퇴근",
    "초과근무 명령 시작",
    "초과근무 명령 종료",
    "명령 상태",
    "초과근무 인정 여부",
)
#: Which order of a day is shown when there are several (one live order at most, plus refused).
_PRIORITY = {OvertimeStatus.APPROVED: 0, OvertimeStatus.PENDING: 1, OvertimeStatus.REJECTED: 2}


def _page(
    request: Request, raw: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    context = {"form": raw, "errors": errors, "departments": DEPARTMENTS, "header": HEADER}
    return render(request, "attendance.html", context, status=status)


@router.get("/attendance")
def attendance_screen(request: Request, user: LoggedIn) -> Response:
    return _page(request, {"month": SEED_MONTHS[-1]}, {})


def _hhmm(value: Any) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _row(record: Row[Any], order: Row[Any] | None) -> list[object]:
    status = OvertimeStatus(order.status) if order is not None else None
    recognised = status is OvertimeStatus.APPROVED and record.clock_out is not None
    return [
        record.staff_no,
        record.name,
        record.department,
        record.grade,
        record.step,
        record.work_date.isoformat(),
        WEEKDAY_KO[record.work_date.weekday()],
        DAY_TYPE_KO[DayType(record.day_type)],
        _hhmm(record.clock_in),
        _hhmm(record.clock_out),
        _hhmm(order.start_time) if order is not None else None,
        _hhmm(order.end_time) if order is not None else None,
        OVERTIME_STATUS_KO[status] if status is not None else None,
        "Y" if recognised else "N",
    ]


@router.get("/attendance/export")
def export(request: Request, user: LoggedIn, month: str = "", department: str = "") -> Response:
    form = Form({"month": month, "department": department})
    wanted = month_field(form, "month", "근무 월")
    if department:
        form.choice("department", "부서", {d: d for d in DEPARTMENTS})
    if not form.ok:
        return _page(request, form.raw, form.errors, status=422)
    first, following = month_bounds(wanted)
    records = (
        select(attendance, staff.c.name, staff.c.department, staff.c.grade, staff.c.step)
        .select_from(attendance.join(staff, staff.c.staff_no == attendance.c.staff_no))
        .where(attendance.c.work_date >= first, attendance.c.work_date < following)
        .order_by(attendance.c.staff_no, attendance.c.work_date)
    )
    orders = select(overtime_requests).where(
        overtime_requests.c.work_date >= first, overtime_requests.c.work_date < following
    )
    if department:
        records = records.where(staff.c.department == department)
        orders = orders.where(
            overtime_requests.c.staff_no.in_(
                select(staff.c.staff_no).where(staff.c.department == department)
            )
        )
    with request.app.state.db.session() as session:
        rows = session.execute(records).all()
        by_day: dict[tuple[str, Any], Row[Any]] = {}
        for order in session.execute(orders).all():
            key = (order.staff_no, order.work_date)
            shown = by_day.get(key)
            if (
                shown is None
                or _PRIORITY[OvertimeStatus(order.status)] < _PRIORITY[OvertimeStatus(shown.status)]
            ):
                by_day[key] = order
    return xlsx_response(
        f"근태_{wanted}_{department or '전체'}.xlsx",
        f"근태 {wanted}",
        HEADER,
        (_row(record, by_day.get((record.staff_no, record.work_date))) for record in rows),
    )
