"""Ground truth of the HR system, for tests only (token required; robots never call it)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import Select, Table, select

from civicrpa.sandbox.common.truth import count, query
from civicrpa.sandbox.hr_attendance.inputs import month_bounds
from civicrpa.sandbox.hr_attendance.models import (
    attendance,
    meal_allowance_results,
    overtime_pay_results,
    overtime_requests,
    staff,
    trainings,
    travel_expense_results,
    trips,
)

router = APIRouter()


def _of(table: Table, staff_no: str | None, statement: Select[Any]) -> Select[Any]:
    return statement if staff_no is None else statement.where(table.c.staff_no == staff_no)


@router.get("/staff")
def all_staff(request: Request) -> list[dict[str, Any]]:
    return query(request, select(staff).order_by(staff.c.staff_no))


@router.get("/staff/{staff_no}")
def one(request: Request, staff_no: str) -> dict[str, Any]:
    rows = query(request, select(staff).where(staff.c.staff_no == staff_no))
    if not rows:
        raise HTTPException(404)
    return rows[0]


@router.get("/attendance")
def month_records(
    request: Request, month: str, staff_no: str | None = None
) -> list[dict[str, Any]]:
    """Clock records of ``YYYY-MM`` (times as HH:MM:SS, None when missing)."""
    first, following = month_bounds(month)
    statement = select(attendance).where(
        attendance.c.work_date >= first, attendance.c.work_date < following
    )
    return query(
        request,
        _of(attendance, staff_no, statement).order_by(
            attendance.c.staff_no, attendance.c.work_date
        ),
    )


@router.get("/overtime")
def orders(
    request: Request,
    staff_no: str | None = None,
    month: str | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    statement = _of(
        overtime_requests, staff_no, select(overtime_requests).order_by(overtime_requests.c.id)
    )
    if month is not None:
        first, following = month_bounds(month)
        statement = statement.where(
            overtime_requests.c.work_date >= first, overtime_requests.c.work_date < following
        )
    if status is not None:
        statement = statement.where(overtime_requests.c.status == status)
    return query(request, statement)


@router.get("/trips")
def all_trips(request: Request, staff_no: str | None = None) -> list[dict[str, Any]]:
    return query(request, _of(trips, staff_no, select(trips).order_by(trips.c.id)))


@router.get("/trainings")
def all_trainings(request: Request, staff_no: str | None = None) -> list[dict[str, Any]]:
    return query(request, _of(trainings, staff_no, select(trainings).order_by(trainings.c.id)))


@router.get("/results")
def results(request: Request) -> dict[str, list[dict[str, Any]]]:
    """What robots entered: ``overtime_pay``, ``meal_allowance``, ``travel_expenses``."""
    return {
        "overtime_pay": query(
            request, select(overtime_pay_results).order_by(overtime_pay_results.c.id)
        ),
        "meal_allowance": query(
            request, select(meal_allowance_results).order_by(meal_allowance_results.c.id)
        ),
        "travel_expenses": query(
            request, select(travel_expense_results).order_by(travel_expense_results.c.id)
        ),
    }


@router.get("/stats")
def stats(request: Request) -> dict[str, int]:
    tables = (staff, attendance, overtime_requests, trips, trainings)
    with request.app.state.db.session() as session:
        return {table.name: count(session, table) for table in tables}
