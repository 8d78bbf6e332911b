"""The staff list and one person's record: grade and step, a month of clock records,
overtime orders, trips and training completions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import ColumnElement, and_, select, true
from starlette.responses import Response

from civicrpa.sandbox.common.app import LoggedIn
from civicrpa.sandbox.common.banks import BANK_CHOICES
from civicrpa.sandbox.common.forms import Form
from civicrpa.sandbox.common.listing import list_page
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.hr_attendance.inputs import month_bounds, month_field
from civicrpa.sandbox.hr_attendance.models import (
    DEPARTMENTS,
    OVERTIME_STATUS_KO,
    TRAINING_KINDS,
    TRIP_AREAS,
    attendance,
    overtime_requests,
    staff,
    trainings,
    trips,
)
from civicrpa.sandbox.hr_attendance.seed import SEED_MONTHS
from civicrpa.sandbox.hr_attendance.workdays import DAY_TYPE_KO, WEEKDAY_KO

router = APIRouter()


@router.get("/")
def home(user: LoggedIn) -> Response:
    return RedirectResponse("/staff", status_code=303)


@router.get("/staff")
def staff_list(
    request: Request, user: LoggedIn, name: str = "", department: str = "", page: int = 1
) -> Response:
    form = Form({"name": name, "department": department})
    wanted = form.text("name", "성명", required=False, max_length=20)
    if department and department not in DEPARTMENTS:
        form.choice("department", "부서", {d: d for d in DEPARTMENTS})
    context: dict[str, Any] = {
        "form": form.raw,
        "errors": form.errors,
        "departments": DEPARTMENTS,
        "rows": [],
    }
    if not form.ok:
        return render(request, "staff_list.html", context, status=422)
    condition: ColumnElement[bool] = true()
    if wanted:
        condition = and_(condition, staff.c.name.contains(wanted, autoescape=True))
    if department:
        condition = and_(condition, staff.c.department == department)
    with request.app.state.db.session() as session:
        shown = list_page(
            session,
            select(staff).where(condition).order_by(staff.c.staff_no),
            page=page,
            path="/staff",
            filters={"name": wanted, "department": department},
        )
    return render(request, "staff_list.html", {**context, **shown.context()})


@router.get("/staff/{staff_no}")
def staff_detail(request: Request, user: LoggedIn, staff_no: str, month: str = "") -> Response:
    form = Form({"month": month or SEED_MONTHS[-1]})
    shown_month = month_field(form, "month", "조회 월")
    with request.app.state.db.session() as session:
        person = session.execute(select(staff).where(staff.c.staff_no == staff_no)).first()
        if person is None:
            raise HTTPException(404)
        context: dict[str, Any] = {
            "person": person,
            "bank": BANK_CHOICES.get(person.bank_code, person.bank_code),
            "form": form.raw,
            "errors": form.errors,
            "day_types": {kind.value: text for kind, text in DAY_TYPE_KO.items()},
            "weekdays": WEEKDAY_KO,
            "statuses": OVERTIME_STATUS_KO,
            "areas": TRIP_AREAS,
            "kinds": TRAINING_KINDS,
            "records": [],
            "orders": [],
        }
        if shown_month:
            first, following = month_bounds(shown_month)
            context["records"] = session.execute(
                select(attendance)
                .where(
                    attendance.c.staff_no == staff_no,
                    attendance.c.work_date >= first,
                    attendance.c.work_date < following,
                )
                .order_by(attendance.c.work_date)
            ).all()
            context["orders"] = session.execute(
                select(overtime_requests)
                .where(
                    overtime_requests.c.staff_no == staff_no,
                    overtime_requests.c.work_date >= first,
                    overtime_requests.c.work_date < following,
                )
                .order_by(overtime_requests.c.work_date)
            ).all()
        context["trips"] = session.execute(
            select(trips).where(trips.c.staff_no == staff_no).order_by(trips.c.start_at)
        ).all()
        context["trainings"] = session.execute(
            select(trainings).where(trainings.c.staff_no == staff_no).order_by(trainings.c.end_date)
        ).all()
    return render(request, "staff_detail.html", context, status=200 if form.ok else 422)
