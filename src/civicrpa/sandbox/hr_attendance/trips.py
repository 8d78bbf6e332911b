"""출장: register a business trip (a span of days and hours, 관내 or 관외, official car or not,
fares and lodging actually spent) and list trips.

A 관내 trip lasts at most one day and has no lodging; trips of one person never overlap.
Travel-expense robots read these rows and enter one amount per trip.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import Row, and_, func, insert, select
from starlette.responses import Response

from civicrpa.sandbox.common.app import CsrfChecked, LoggedIn
from civicrpa.sandbox.common.clock import city_stamp, city_today
from civicrpa.sandbox.common.forms import Form, posted
from civicrpa.sandbox.hr_attendance.inputs import (
    STAFF_NO_PATTERN,
    EntryForm,
    Field,
    clock_time,
    month_bounds,
    month_field,
    staff_member,
)
from civicrpa.sandbox.hr_attendance.listing import show_listing, won
from civicrpa.sandbox.hr_attendance.models import TRIP_AREAS, staff, trips

router = APIRouter()
MAX_DAYS = 30
MAX_DAYS_AHEAD = 365
MAX_COST = 5_000_000
CAR_CHOICES = {"no": "아니오", "yes": "예"}
FIELDS = (
    Field(label="직원번호", name="staff_no", maxlength=6, placeholder="예: E00001"),
    Field(label="출장 시작일", name="start_date", maxlength=10, placeholder="예: 2025-10-13"),
    Field(label="시작 시각", name="start_time", maxlength=5, placeholder="예: 09:00"),
    Field(label="출장 종료일", name="end_date", maxlength=10, placeholder="예: 2025-10-13"),
    Field(label="종료 시각", name="end_time", maxlength=5, placeholder="예: 18:00"),
    Field(label="출장지", name="destination", maxlength=50),
    Field(label="출장 구분", name="area", choices=TRIP_AREAS),
    Field(label="공용차량 사용", name="official_car", choices=CAR_CHOICES),
    Field(
        label="운임(원)",
        name="fare",
        maxlength=9,
        required=False,
        placeholder="없으면 비워 두십시오",
    ),
    Field(
        label="숙박비(원)",
        name="lodging",
        maxlength=9,
        required=False,
        placeholder="없으면 비워 두십시오",
    ),
    Field(label="출장 목적", name="purpose", maxlength=100),
)
SEARCH = (
    Field(label="직원번호", name="staff_no", maxlength=6),
    Field(label="출장 월", name="month", maxlength=7, placeholder="예: 2025-10"),
)


ENTRY = EntryForm(
    heading="출장 등록",
    action="/trips/new",
    fields=FIELDS,
    submit="등록",
    intro="관내 출장은 하루 안에 끝나야 하며 숙박비가 없습니다. 운임과 숙박비는 실제 쓴 금액(원)입니다.",
)


@router.get("/trips/new")
def new_trip(request: Request, user: LoggedIn, staff_no: str = "") -> Response:
    return ENTRY.page(request, {"staff_no": staff_no[:6], "official_car": "no"}, {})


@router.post("/trips/new", dependencies=[CsrfChecked])
async def register_trip(request: Request, user: LoggedIn) -> Response:
    form = await posted(request)
    with request.app.state.db.session() as session:
        person = staff_member(form, session)
        start_day = form.day("start_date", "출장 시작일")
        start_time = clock_time(form, "start_time", "시작 시각")
        end_day = form.day("end_date", "출장 종료일")
        end_time = clock_time(form, "end_time", "종료 시각")
        destination = form.text("destination", "출장지", max_length=50)
        area = form.choice("area", "출장 구분", TRIP_AREAS)
        car = form.choice("official_car", "공용차량 사용", CAR_CHOICES)
        fare = form.integer("fare", "운임(원)", maximum=MAX_COST, required=False) or 0
        lodging = form.integer("lodging", "숙박비(원)", maximum=MAX_COST, required=False) or 0
        purpose = form.text("purpose", "출장 목적", max_length=100)
        start = end = None
        if start_day and start_time and end_day and end_time:
            start, end = (
                datetime.combine(start_day, start_time),
                datetime.combine(end_day, end_time),
            )
            if end_day < start_day:
                form.fail(
                    "end_date",
                    "hr_attendance.end_before_start",
                    label="출장 종료일",
                    start="출장 시작일",
                )
            elif end <= start:
                form.fail(
                    "end_time",
                    "hr_attendance.end_not_after_start",
                    label="종료 시각",
                    start="시작 시각",
                )
            elif (end_day - start_day).days >= MAX_DAYS:
                form.fail("end_date", "hr_attendance.trip_too_long", days=MAX_DAYS)
            elif area == "in_area" and end_day != start_day:
                form.fail("end_date", "hr_attendance.in_area_one_day")
            if start_day > city_today() + timedelta(days=MAX_DAYS_AHEAD):
                form.fail(
                    "start_date",
                    "hr_attendance.too_far_ahead",
                    label="출장 시작일",
                    days=MAX_DAYS_AHEAD,
                )
        if area == "in_area" and lodging:
            form.fail("lodging", "hr_attendance.in_area_lodging")
        if form.ok and person is not None:
            overlapping = session.execute(
                select(func.count()).where(
                    trips.c.staff_no == person.staff_no,
                    trips.c.start_at < end,
                    trips.c.end_at > start,
                )
            ).scalar_one()
            if overlapping:
                form.fail("start_date", "hr_attendance.trip_overlap")
        if not form.ok or person is None:
            return ENTRY.page(request, form.raw, form.errors, status=422)
        trip_id = session.execute(
            insert(trips)
            .values(
                staff_no=person.staff_no,
                start_at=start,
                end_at=end,
                destination=destination,
                area=area,
                official_car=int(car == "yes"),
                fare=fare,
                lodging=lodging,
                purpose=purpose,
                registered_by=user.user,
                registered_at=city_stamp(),
            )
            .returning(trips.c.id)
        ).scalar_one()
    user.flash.append(f"출장이 등록되었습니다. (출장번호 {trip_id}, {person.name})")
    return RedirectResponse(f"/trips?staff_no={person.staff_no}", status_code=303)


def _cells(row: Row[Any]) -> list[object]:
    return [
        row.id,
        row.staff_no,
        row.name,
        f"{row.start_at:%Y-%m-%d %H:%M}",
        f"{row.end_at:%Y-%m-%d %H:%M}",
        row.destination,
        TRIP_AREAS.get(row.area, row.area),
        "예" if row.official_car else "아니오",
        won(row.fare),
        won(row.lodging),
        row.purpose,
    ]


@router.get("/trips")
def trip_list(
    request: Request, user: LoggedIn, staff_no: str = "", month: str = "", page: int = 1
) -> Response:
    form = Form({"staff_no": staff_no, "month": month})
    number = form.text(
        "staff_no", "직원번호", required=False, max_length=6, pattern=STAFF_NO_PATTERN
    )
    wanted = month_field(form, "month", "출장 월", required=False)
    statement = (
        select(trips, staff.c.name)
        .select_from(trips.join(staff, staff.c.staff_no == trips.c.staff_no))
        .order_by(trips.c.start_at.desc(), trips.c.id.desc())
    )
    if number:
        statement = statement.where(trips.c.staff_no == number)
    if wanted:
        first, following = month_bounds(wanted)
        statement = statement.where(
            and_(trips.c.start_at >= datetime.combine(first, datetime.min.time())),
            trips.c.start_at < datetime.combine(following, datetime.min.time()),
        )
    return show_listing(
        request,
        heading="출장 목록",
        action="/trips",
        search=SEARCH,
        form=form,
        headers=(
            "출장번호",
            "직원번호",
            "성명",
            "시작",
            "종료",
            "출장지",
            "구분",
            "공용차량",
            "운임(원)",
            "숙박비(원)",
            "목적",
        ),
        statement=statement,
        cells=_cells,
        page=page,
        new_link=("/trips/new", "출장 등록하기"),
    )
