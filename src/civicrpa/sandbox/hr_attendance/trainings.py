"""교육 이수: register a completed course (credited hours, dates in the past) and list them.

A completion is registered once per person, course code and start date, as the training robot
expects (a second one is refused, so a re-run does not double anyone's hours).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import Row, func, insert, select
from starlette.responses import Response

from civicrpa.sandbox.common.app import CsrfChecked, LoggedIn
from civicrpa.sandbox.common.clock import city_stamp, city_today
from civicrpa.sandbox.common.forms import Form, posted
from civicrpa.sandbox.hr_attendance.inputs import (
    STAFF_NO_PATTERN,
    EntryForm,
    Field,
    insert_once,
    staff_member,
)
from civicrpa.sandbox.hr_attendance.listing import show_listing
from civicrpa.sandbox.hr_attendance.models import TRAINING_KINDS, staff, trainings

router = APIRouter()
COURSE_CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9-]*"
MAX_HOURS = 200
FIELDS = (
    Field(label="직원번호", name="staff_no", maxlength=6, placeholder="예: E00001"),
    Field(label="과정코드", name="course_code", maxlength=20, placeholder="예: CY-2001"),
    Field(label="과정명", name="course_name", maxlength=100),
    Field(label="교육기관", name="provider", maxlength=50),
    Field(label="교육 구분", name="kind", choices=TRAINING_KINDS),
    Field(label="교육 시작일", name="start_date", maxlength=10, placeholder="예: 2025-09-01"),
    Field(label="수료일", name="end_date", maxlength=10, placeholder="예: 2025-09-05"),
    Field(label="인정 시간", name="hours", maxlength=3, placeholder="시간 단위 정수"),
)
SEARCH = (
    Field(label="직원번호", name="staff_no", maxlength=6),
    Field(label="수료 연도", name="year", maxlength=4, placeholder="예: 2025"),
)


ENTRY = EntryForm(
    heading="교육 이수 등록",
    action="/trainings/new",
    fields=FIELDS,
    submit="등록",
    intro="수료한 과정만 등록합니다. 인정 시간은 과정의 공식 인정 시간(정수)입니다.",
)


@router.get("/trainings/new")
def new_training(request: Request, user: LoggedIn, staff_no: str = "") -> Response:
    return ENTRY.page(request, {"staff_no": staff_no[:6]}, {})


@router.post("/trainings/new", dependencies=[CsrfChecked])
async def register_training(request: Request, user: LoggedIn) -> Response:
    form = await posted(request)
    with request.app.state.db.session() as session:
        person = staff_member(form, session)
        code = form.text("course_code", "과정코드", max_length=20, pattern=COURSE_CODE_PATTERN)
        name = form.text("course_name", "과정명", max_length=100)
        provider = form.text("provider", "교육기관", max_length=50)
        kind = form.choice("kind", "교육 구분", TRAINING_KINDS)
        start = form.day("start_date", "교육 시작일", past_only=True)
        end = form.day("end_date", "수료일", past_only=True)
        hours = form.integer("hours", "인정 시간", minimum=1, maximum=MAX_HOURS)
        if start and end and end < start and "end_date" not in form.errors:
            form.fail(
                "end_date", "hr_attendance.end_before_start", label="수료일", start="교육 시작일"
            )
        if form.ok and person is not None:
            taken = session.execute(
                select(func.count()).where(
                    trainings.c.staff_no == person.staff_no,
                    trainings.c.course_code == code,
                    trainings.c.start_date == start,
                )
            ).scalar_one()
            if taken:
                form.fail("course_code", "hr_attendance.training_taken")
        if not form.ok or person is None:
            return ENTRY.page(request, form.raw, form.errors, status=422)
    statement = insert(trainings).values(
        staff_no=person.staff_no,
        course_code=code,
        course_name=name,
        provider=provider,
        kind=kind,
        start_date=start,
        end_date=end,
        hours=hours,
        registered_by=user.user,
        registered_at=city_stamp(),
    )
    if not insert_once(
        request.app.state.db, statement, form, "course_code", "hr_attendance.training_taken"
    ):
        return ENTRY.page(request, form.raw, form.errors, status=422)
    user.flash.append(f"교육 이수 실적이 등록되었습니다. ({person.name}, {name})")
    return RedirectResponse(f"/trainings?staff_no={person.staff_no}", status_code=303)


def _cells(row: Row[Any]) -> list[object]:
    return [
        row.staff_no,
        row.name,
        row.course_code,
        row.course_name,
        row.provider,
        TRAINING_KINDS.get(row.kind, row.kind),
        row.start_date,
        row.end_date,
        row.hours,
    ]


@router.get("/trainings")
def training_list(
    request: Request, user: LoggedIn, staff_no: str = "", year: str = "", page: int = 1
) -> Response:
    form = Form({"staff_no": staff_no, "year": year})
    number = form.text(
        "staff_no", "직원번호", required=False, max_length=6, pattern=STAFF_NO_PATTERN
    )
    wanted = form.integer(
        "year", "수료 연도", minimum=2000, maximum=city_today().year, required=False
    )
    statement = (
        select(trainings, staff.c.name)
        .select_from(trainings.join(staff, staff.c.staff_no == trainings.c.staff_no))
        .order_by(trainings.c.end_date.desc(), trainings.c.id.desc())
    )
    if number:
        statement = statement.where(trainings.c.staff_no == number)
    if wanted:
        statement = statement.where(
            trainings.c.end_date >= date(wanted, 1, 1), trainings.c.end_date <= date(wanted, 12, 31)
        )
    return show_listing(
        request,
        heading="교육 이수 목록",
        action="/trainings",
        search=SEARCH,
        form=form,
        headers=(
            "직원번호",
            "성명",
            "과정코드",
            "과정명",
            "교육기관",
            "구분",
            "시작일",
            "수료일",
            "인정 시간",
        ),
        statement=statement,
        cells=_cells,
        page=page,
        new_link=("/trainings/new", "교육 이수 등록하기"),
    )
