"""Synthetic staff of a city hall and three months of their attendance. Deterministic.

``max(20, size // 50)`` staff across ten departments, grades 9급..5급 with 호봉; for August to
October 2025 (the synthetic city stands on its day, 2025-11-01): weekday
clock records (public holidays skipped, a few days of leave, rare missing clock-outs), late
evenings with overtime orders mostly approved, some pending or refused, some late evenings with
no order at all, a little weekend work under approved orders, trips (관내 day trips, 관외 trips
of one to three days, with no clock record while away) and training completions of 2025.
"""

from __future__ import annotations

import functools
import random
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert

from civicrpa.sandbox.common.banks import KIND_STAFF, pick_bank, synthetic_account
from civicrpa.sandbox.common.city import CITY_DAY, CITY_SEED
from civicrpa.sandbox.common.db import SandboxDatabase
from civicrpa.sandbox.common.synthetic import korean_faker
from civicrpa.sandbox.hr_attendance.models import (
    DEPARTMENTS,
    GRADES,
    OvertimeStatus,
    attendance,
    overtime_requests,
    staff,
    trainings,
    trips,
)
from civicrpa.sandbox.hr_attendance.trip_places import TRIP_PLACES
from civicrpa.sandbox.hr_attendance.workdays import DayType, day_type

#: The months with attendance records, oldest first.
SEED_MONTHS = ("2025-08", "2025-09", "2025-10")
_GRADE_WEIGHTS = (20, 25, 25, 20, 10)
_STEPS = {"9급": (1, 12), "8급": (3, 16), "7급": (5, 22), "6급": (8, 28), "5급": (12, 32)}
_REASONS = (
    "민원 서류 처리",
    "예산 편성 자료 작성",
    "행사 준비",
    "업무 보고서 작성",
    "재난 대비 비상근무",
    "현장 점검 결과 정리",
)
#: (code, name, provider, kind, credited hours)
COURSES = (
    ("GJ-101", "신규공무원 기본교육", "전라남도인재개발원", "group", 35),
    ("GJ-205", "적극행정 실무", "전라남도인재개발원", "group", 21),
    ("GJ-310", "리더십 역량 강화", "지방자치인재개발원", "group", 28),
    ("CY-2001", "공직자 청렴교육", "사이버교육센터", "cyber", 10),
    ("CY-2002", "개인정보보호 실무", "사이버교육센터", "cyber", 8),
    ("CY-2105", "민원 응대 기법", "나라배움터", "cyber", 12),
    ("IH-301", "RPA 업무자동화 이해", "광양시청", "in_house", 4),
    ("IH-302", "재난안전 교육", "광양시청", "in_house", 3),
)
_CHUNK = 5000


def staff_count(size: int) -> int:
    return max(20, size // 50)


def month_days(month: str) -> list[date]:
    """Every day of ``YYYY-MM``."""
    first = date.fromisoformat(f"{month}-01")
    following = (first + timedelta(days=32)).replace(day=1)
    return [first + timedelta(days=n) for n in range((following - first).days)]


@functools.lru_cache(maxsize=4)
def generate_staff(size: int, seed: int = CITY_SEED) -> tuple[dict[str, Any], ...]:
    """The staff rows, with their salary accounts (the finance seed registers the same)."""
    rng = random.Random(f"hr-staff-{seed}")
    fake = korean_faker(seed + 7)
    rows = []
    for number in range(1, staff_count(size) + 1):
        grade = rng.choices(GRADES, weights=_GRADE_WEIGHTS)[0]
        step = rng.randint(*_STEPS[grade])
        position = (
            "과장"
            if grade == "5급"
            else ("팀장" if grade == "6급" and rng.random() < 0.5 else "주무관")
        )
        # The first ten fill every department once; the rest are spread at random.
        department = (
            DEPARTMENTS[number - 1] if number <= len(DEPARTMENTS) else rng.choice(DEPARTMENTS)
        )
        bank = pick_bank(rng)
        first = fake.first_name_male() if rng.random() < 0.5 else fake.first_name_female()
        rows.append(
            {
                "staff_no": f"E{number:05d}",
                "name": (fake.last_name() + first)[:50],
                "department": department,
                "grade": grade,
                "step": step,
                "position": position,
                "appointed_on": CITY_DAY - timedelta(days=365 * step // 2 + rng.randrange(365)),
                "bank_code": bank,
                "account_number": synthetic_account(bank, KIND_STAFF, number, rng),
            }
        )
    return tuple(rows)


def _clock(rng: random.Random, start: time, span_minutes: int) -> time:
    minutes = start.hour * 60 + start.minute + rng.randrange(span_minutes)
    return time(min(minutes // 60, 23), minutes % 60)


def _half_hour(moment: time, shift: int) -> time:
    minutes = min(
        max((moment.hour * 60 + moment.minute + 15) // 30 * 30 + shift, 18 * 60 + 30), 23 * 60 + 30
    )
    return time(minutes // 60, minutes % 60)


def _utc(day: date, kst_hour: int) -> datetime:
    """A naive UTC moment for ``kst_hour`` o'clock in Korea on ``day``."""
    return datetime.combine(day, time(0)) + timedelta(hours=kst_hour - 9)


def _order(
    person: str, day: date, start: time, end: time, rng: random.Random, approved: float
) -> dict[str, Any]:
    refused = (1 - approved) / 2
    status = rng.choices(
        (OvertimeStatus.APPROVED, OvertimeStatus.PENDING, OvertimeStatus.REJECTED),
        weights=(approved, refused, refused),
    )[0]
    decided = status is not OvertimeStatus.PENDING
    # Decided the next morning, or that evening when the next morning is the city's day itself
    # (what happens on that day is the sandbox's users' to do).
    decided_at = (
        _utc(day + timedelta(days=1), 10) if day + timedelta(days=1) < CITY_DAY else _utc(day, 18)
    )
    return {
        "staff_no": person,
        "work_date": day,
        "start_time": start,
        "end_time": end,
        "reason": rng.choice(_REASONS),
        "status": status.value,
        "requested_by": "clerk01",
        "requested_at": _utc(day, 17),
        "decided_by": "reviewer01" if decided else None,
        "decided_at": decided_at if decided else None,
    }


def _trips_of(person: str, rng: random.Random, workdays: list[date]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    days = sorted(rng.sample(workdays[::4], rng.choice((0, 1, 1, 2, 2, 3, 4))))
    for day in days:
        area = (
            "in_area"
            if rng.random() < 0.7
            else rng.choices(("seoul", "metro", "other"), (3, 4, 3))[0]
        )
        place, fare_range, lodging_range = TRIP_PLACES[area]
        car = rng.random() < (0.35 if area == "in_area" else 0.2)
        if area == "in_area":
            start = datetime.combine(day, time(9 + rng.randrange(6), rng.choice((0, 30))))
            end = min(
                start + timedelta(minutes=60 + 30 * rng.randrange(11)),
                datetime.combine(day, time(18)),
            )
            fare = lodging = 0
        else:
            nights = rng.choices((0, 1, 2), (6, 3, 1))[0]
            start = datetime.combine(day, time(7 + rng.randrange(3), rng.choice((0, 30))))
            end = datetime.combine(
                day + timedelta(days=nights), time(17 + rng.randrange(4), rng.choice((0, 30)))
            )
            fare = 0 if car else 2 * rng.randrange(*fare_range, 100)
            lodging = sum(rng.randrange(*lodging_range, 1000) for _ in range(nights))
        rows.append(
            {
                "staff_no": person,
                "start_at": start,
                "end_at": end,
                "destination": rng.choice(place),
                "area": area,
                "official_car": int(car),
                "fare": fare,
                "lodging": lodging,
                "purpose": rng.choice(
                    ("업무 협의", "현장 점검", "회의 참석", "교육 참석", "자료 수집")
                ),
                "registered_by": "clerk01",
                "registered_at": _utc(day - timedelta(days=2), 10),
            }
        )
    return rows


def _trainings_of(person: str, rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for code, name, provider, kind, hours in rng.sample(COURSES, rng.randint(1, 4)):
        start = date(2025, 1, 6) + timedelta(days=rng.randrange(270))
        length = {"group": hours // 7, "cyber": rng.randrange(7, 28), "in_house": 0}.get(kind, 0)
        end = min(start + timedelta(days=length), CITY_DAY - timedelta(days=1))
        rows.append(
            {
                "staff_no": person,
                "course_code": code,
                "course_name": name,
                "provider": provider,
                "kind": kind,
                "start_date": start,
                "end_date": end,
                "hours": hours,
                "registered_by": "robot01",
                "registered_at": _utc(
                    min(end + timedelta(days=3), CITY_DAY - timedelta(days=1)), 10
                ),
            }
        )
    return rows


def _days_of(
    person: str, rng: random.Random, away: set[date]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    records: list[dict[str, Any]] = []
    orders: list[dict[str, Any]] = []
    for day in (d for month in SEED_MONTHS for d in month_days(month)):
        kind = day_type(day)
        if day in away:
            continue
        clock_out: time | None
        if kind is DayType.WEEKDAY:
            if rng.random() < 0.04:
                continue  # leave (연가)
            clock_in = (
                _clock(rng, time(8, 15), 45) if rng.random() < 0.95 else _clock(rng, time(9, 1), 40)
            )
            roll = rng.random()
            if roll < 0.62:
                clock_out = _clock(rng, time(18, 0), 50)
            else:
                clock_out = (
                    _clock(rng, time(18, 50), 40) if roll < 0.7 else _clock(rng, time(19, 30), 240)
                )
                if rng.random() < 0.92:
                    end = _half_hour(clock_out, rng.choice((-30, 0, 0, 30)))
                    orders.append(_order(person, day, time(18, 0), end, rng, approved=0.82))
        elif rng.random() < 0.04:
            end = time(rng.randrange(13, 19), 0)
            orders.append(_order(person, day, time(9, 0), end, rng, approved=0.9))
            clock_in = _clock(rng, time(8, 50), 20)
            clock_out = _clock(rng, time(end.hour - 1, 50), 30)
        else:
            continue
        if rng.random() < 0.005:
            clock_out = None  # the card was not read on the way out
        records.append(
            {
                "staff_no": person,
                "work_date": day,
                "day_type": kind.value,
                "clock_in": clock_in,
                "clock_out": clock_out,
            }
        )
    return records, orders


def seed(db: SandboxDatabase, size: int, *, seed: int = CITY_SEED) -> None:
    """Fill the HR system: staff, attendance, overtime orders, trips, trainings."""
    people = generate_staff(size, seed)
    rng = random.Random(f"hr-records-{seed}-{size}")
    workdays = [d for m in SEED_MONTHS for d in month_days(m) if day_type(d) is DayType.WEEKDAY]
    rows: dict[Any, list[dict[str, Any]]] = {
        attendance: [],
        overtime_requests: [],
        trips: [],
        trainings: [],
    }
    for person in people:
        person_trips = _trips_of(person["staff_no"], rng, workdays)
        away = {
            trip["start_at"].date() + timedelta(days=n)
            for trip in person_trips
            if trip["area"] != "in_area"
            for n in range((trip["end_at"].date() - trip["start_at"].date()).days + 1)
        }
        records, orders = _days_of(person["staff_no"], rng, away)
        rows[attendance] += records
        rows[overtime_requests] += orders
        rows[trips] += person_trips
        rows[trainings] += _trainings_of(person["staff_no"], rng)
    with db.session() as session:
        session.execute(insert(staff), list(people))
        for table, values in rows.items():
            for offset in range(0, len(values), _CHUNK):
                session.execute(insert(table), values[offset : offset + _CHUNK])
