"""What every HR entry screen shares: staff numbers, times, months, messages, field specs.

Forms are read and their errors recorded as in every system
(:mod:`civicrpa.sandbox.common.forms`); the rules only this system knows have their Korean
wording here, as ``hr_attendance.<code>``. Field specs let one template draw every entry form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from fastapi import Request
from sqlalchemy import Executable, Row, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession
from starlette.responses import Response

from civicrpa.sandbox.common.clock import city_today
from civicrpa.sandbox.common.db import SandboxDatabase
from civicrpa.sandbox.common.forms import Form, add_messages
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.hr_attendance.models import staff

STAFF_NO_PATTERN = r"E\d{5}"
TIME_PATTERN = r"([01]\d|2[0-3]):[0-5]\d"
MONTH_PATTERN = r"\d{4}-(0[1-9]|1[0-2])"

add_messages(
    "hr_attendance",
    {
        "unknown_staff": "등록되지 않은 직원번호입니다.",
        "future_month": "{label}은(는) 이번 달 이후일 수 없습니다.",
        "end_before_start": "{label}은(는) {start}보다 빠를 수 없습니다.",
        "end_not_after_start": "{label}은(는) {start}보다 늦어야 합니다.",
        "too_far_ahead": "{label}은(는) 오늘부터 {days}일 이내여야 합니다.",
        "office_hours": "평일 초과근무는 근무시간(09:00~18:00) 밖이어야 합니다.",
        "too_long_day": "초과근무는 하루 {hours}시간을 넘게 신청할 수 없습니다.",
        "overtime_taken": "같은 날 신청된 초과근무가 있습니다(반려된 신청 제외).",
        "in_area_one_day": "관내 출장은 하루 안에 끝나야 합니다.",
        "in_area_lodging": "관내 출장에는 숙박비를 입력할 수 없습니다.",
        "trip_too_long": "출장 기간은 {days}일을 넘을 수 없습니다.",
        "trip_overlap": "같은 기간에 등록된 출장이 있습니다.",
        "training_taken": "이미 등록된 교육 이수 실적입니다(같은 과정코드와 시작일).",
        "result_taken": "이 직원의 {month} 결과가 이미 입력되어 있습니다.",
        "trip_result_taken": "이 출장의 여비가 이미 입력되어 있습니다.",
        "unknown_trip": "이 직원의 출장번호가 아닙니다.",
        "trip_not_over": "끝나지 않은 출장의 여비는 입력할 수 없습니다.",
    },
)


def insert_once(
    db: SandboxDatabase, statement: Executable, form: Form, name: str, code: str, **params: object
) -> bool:
    """Run the insert; False, with the duplicate error on ``form``, when a unique index refuses it.

    The screens look for a duplicate before inserting; the index settles the race of two robots
    that both passed that look at the same moment.
    """
    try:
        with db.session() as session:
            session.execute(statement)
    except IntegrityError:
        form.fail(name, code, **params)
        return False
    return True


def staff_member(form: Form, session: DbSession, name: str = "staff_no") -> Row[Any] | None:
    """The staff row named by the 직원번호 field, or None with an error on ``form``."""
    number = form.text(name, "직원번호", max_length=6, pattern=STAFF_NO_PATTERN)
    if not number or name in form.errors:
        return None
    row = session.execute(select(staff).where(staff.c.staff_no == number)).first()
    if row is None:
        form.fail(name, "hr_attendance.unknown_staff")
    return row


def clock_time(form: Form, name: str, label: str) -> time | None:
    """A ``HH:MM`` field."""
    value = form.text(name, label, max_length=5, pattern=TIME_PATTERN)
    return time.fromisoformat(value) if value and name not in form.errors else None


def month_field(form: Form, name: str, label: str, *, required: bool = True) -> str:
    """A ``YYYY-MM`` field that may not lie after the current month."""
    value = form.text(name, label, max_length=7, pattern=MONTH_PATTERN, required=required)
    if value and name not in form.errors and value > f"{city_today():%Y-%m}":
        form.fail(name, "hr_attendance.future_month", label=label)
        return ""
    return value if name not in form.errors else ""


def month_bounds(month: str) -> tuple[date, date]:
    """First day of ``YYYY-MM`` and first day of the month after."""
    first = date.fromisoformat(f"{month}-01")
    return first, (first + timedelta(days=32)).replace(day=1)


@dataclass(frozen=True, kw_only=True)
class Field:
    """One input of an entry form, as ``entry_form.html`` draws it."""

    label: str
    name: str
    maxlength: int | None = None
    placeholder: str = ""
    #: A select's options (value -> Korean text); None for a text input.
    choices: dict[str, str] | None = None
    required: bool = True


@dataclass(frozen=True, kw_only=True)
class EntryForm:
    """One of HR's entry screens (overtime, trip, training), drawn by ``entry_form.html``."""

    heading: str
    action: str
    fields: tuple[Field, ...]
    submit: str
    intro: str

    def page(
        self, request: Request, raw: dict[str, str], errors: dict[str, str], status: int = 200
    ) -> Response:
        """The screen with the values typed so far and the errors beside their fields."""
        return render(
            request,
            "entry_form.html",
            {
                "heading": self.heading,
                "action": self.action,
                "fields": self.fields,
                "form": raw,
                "errors": errors,
                "submit": self.submit,
                "intro": self.intro,
            },
            status=status,
        )
