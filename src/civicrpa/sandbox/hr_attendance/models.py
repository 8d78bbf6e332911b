"""Tables of the HR and attendance system (its own database: another agency's system)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Time,
    UniqueConstraint,
    text,
)

metadata = MetaData()

#: 직급 from junior to senior; 호봉 runs 1..32 in every grade.
GRADES = ("9급", "8급", "7급", "6급", "5급")
MAX_STEP = 32
DEPARTMENTS = (
    "총무과",
    "기획예산과",
    "세무과",
    "민원봉사과",
    "인구정책과",
    "복지정책과",
    "환경과",
    "건설과",
    "농업정책과",
    "디지털정보과",
)


class OvertimeStatus(StrEnum):
    """Where an overtime order (초과근무 명령 신청) stands."""

    #: Entered, waiting for the head of department.
    PENDING = "pending"
    #: Approved: the hours inside it may be recognised.
    APPROVED = "approved"
    #: Refused: nothing is recognised.
    REJECTED = "rejected"


OVERTIME_STATUS_KO = {
    OvertimeStatus.PENDING: "대기",
    OvertimeStatus.APPROVED: "승인",
    OvertimeStatus.REJECTED: "반려",
}

#: 출장 구분: 관내 (same city) or 관외 by the region that sets the lodging cap.
TRIP_AREAS: dict[str, str] = {
    "in_area": "관내",
    "seoul": "관외(서울)",
    "metro": "관외(광역시)",
    "other": "관외(기타 지역)",
}
TRAINING_KINDS: dict[str, str] = {
    "group": "집합교육",
    "cyber": "사이버교육",
    "in_house": "직장교육",
    "other": "기타",
}

staff = Table(
    "staff",
    metadata,
    #: 직원번호, e.g. "E00042": the key robots match people by (never a resident number).
    Column("staff_no", String(10), primary_key=True),
    Column("name", String(50), nullable=False, index=True),
    Column("department", String(50), nullable=False, index=True),
    Column("grade", String(10), nullable=False),
    Column("step", Integer, nullable=False),
    Column("position", String(20), nullable=False),
    Column("appointed_on", Date, nullable=False),
    #: 급여 계좌: the finance system's bank-account register has the same account.
    Column("bank_code", String(3), nullable=False),
    Column("account_number", String(20), nullable=False),
)

attendance = Table(
    "attendance",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("staff_no", String(10), ForeignKey("staff.staff_no"), nullable=False),
    Column("work_date", Date, nullable=False, index=True),
    Column("day_type", String(10), nullable=False),
    Column("clock_in", Time, nullable=True),
    #: None when the card was not read on the way out (미기록).
    Column("clock_out", Time, nullable=True),
    UniqueConstraint("staff_no", "work_date"),
)

overtime_requests = Table(
    "overtime_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("staff_no", String(10), ForeignKey("staff.staff_no"), nullable=False, index=True),
    Column("work_date", Date, nullable=False, index=True),
    Column("start_time", Time, nullable=False),
    Column("end_time", Time, nullable=False),
    Column("reason", String(100), nullable=False),
    Column("status", String(10), nullable=False),
    Column("requested_by", String(50), nullable=False),
    Column("requested_at", DateTime, nullable=False),
    Column("decided_by", String(50), nullable=True),
    Column("decided_at", DateTime, nullable=True),
    # At most one live (pending or approved) order a person a day: the export shows it by day.
    Index(
        "one_live_overtime_order_a_day",
        "staff_no",
        "work_date",
        unique=True,
        sqlite_where=text("status != 'rejected'"),
    ),
)

trips = Table(
    "trips",
    metadata,
    #: 출장번호.
    Column("id", Integer, primary_key=True),
    Column("staff_no", String(10), ForeignKey("staff.staff_no"), nullable=False, index=True),
    Column("start_at", DateTime, nullable=False),
    Column("end_at", DateTime, nullable=False),
    Column("destination", String(50), nullable=False),
    #: A key of :data:`TRIP_AREAS`.
    Column("area", String(10), nullable=False),
    Column("official_car", Integer, nullable=False),
    #: 운임 and 숙박비 actually spent (receipts), in won; 0 when none.
    Column("fare", Integer, nullable=False),
    Column("lodging", Integer, nullable=False),
    Column("purpose", String(100), nullable=False),
    Column("registered_by", String(50), nullable=False),
    Column("registered_at", DateTime, nullable=False),
)

trainings = Table(
    "trainings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("staff_no", String(10), ForeignKey("staff.staff_no"), nullable=False, index=True),
    Column("course_code", String(20), nullable=False),
    Column("course_name", String(100), nullable=False),
    Column("provider", String(50), nullable=False),
    #: A key of :data:`TRAINING_KINDS`.
    Column("kind", String(10), nullable=False),
    Column("start_date", Date, nullable=False),
    #: 수료일: the record belongs to this day's year.
    Column("end_date", Date, nullable=False),
    #: 인정 시간: the course's credited hours, whole hours.
    Column("hours", Integer, nullable=False),
    Column("registered_by", String(50), nullable=False),
    Column("registered_at", DateTime, nullable=False),
    UniqueConstraint("staff_no", "course_code", "start_date"),
)


def _entered(table: str, *columns: Column[object], unique: tuple[str, ...]) -> Table:
    return Table(
        table,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("staff_no", String(10), ForeignKey("staff.staff_no"), nullable=False),
        *columns,
        Column("amount", Integer, nullable=False),
        Column("note", String(100), nullable=False),
        Column("entered_by", String(50), nullable=False),
        Column("entered_at", DateTime, nullable=False),
        UniqueConstraint(*unique),
    )


#: Results robots type back: one per person and month (or per trip).
overtime_pay_results = _entered(
    "overtime_pay_results",
    Column("month", String(7), nullable=False),
    Column("hours", Integer, nullable=False),
    unique=("staff_no", "month"),
)
meal_allowance_results = _entered(
    "meal_allowance_results",
    Column("month", String(7), nullable=False),
    Column("meals", Integer, nullable=False),
    unique=("staff_no", "month"),
)
travel_expense_results = _entered(
    "travel_expense_results",
    Column("trip_id", Integer, ForeignKey("trips.id"), nullable=False),
    unique=("trip_id",),
)
