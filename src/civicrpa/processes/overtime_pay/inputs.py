"""What the overtime rules read: one row per person and day, as the attendance system exports it.

The row (``overtime.md``, suggested data shapes) joins the day's approved overtime order
(근무명령) and the clock record (출퇴근 기록). :class:`AttendanceRow` is the row as exported,
each field titled by its Korean column header so :func:`civicrpa.runtime.sheets.read_rows`
finds it; :func:`to_day_record` checks what a field type cannot (an order that ends before it
starts, a clock-out without a clock-in) and gives the rules a :class:`DayRecord` whose times are
minutes from the work day's midnight. :func:`check_attendance_rows` does this for a batch, so
one bad row is reported by its number with a Korean reason and the others go on.

Times only (``18:30``): an end earlier than its start is on the next day (a shift past
midnight). Full datetimes are accepted too and must start on the work day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from civicrpa.core.findings import CheckedRows, Finding, check_rows, rejected

#: Minutes of a day.
DAY_MINUTES = 24 * 60


class DayType(StrEnum):
    """What kind of day a work date is, for the deduction (from the Korean calendar)."""

    #: A business day: overtime counts outside normal hours, less the weekday deduction.
    WEEKDAY = "weekday"
    #: A Saturday that is no public holiday: no deduction (V1 national).
    SATURDAY = "saturday"
    #: Sunday, a public, substitute or local holiday: no deduction (V1 national).
    HOLIDAY = "holiday"


#: How the attendance system may write a day type.
DAY_TYPE_LABELS: Mapping[str, DayType] = {
    "평일": DayType.WEEKDAY,
    "토요일": DayType.SATURDAY,
    "휴일": DayType.HOLIDAY,
    "공휴일": DayType.HOLIDAY,
    **{member.value: member for member in DayType},
}


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of time as minutes from the work day's midnight; ``end`` may pass 1440."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= 2 * DAY_MINUTES:
            raise ValueError("a span runs forward within two days")

    @property
    def minutes(self) -> int:
        """Its length."""
        return self.end - self.start


@dataclass(frozen=True, kw_only=True, slots=True)
class DayRecord:
    """One person's day: the overtime order and the clock record, checked."""

    staff_no: str
    name: str = field(repr=False)
    department: str
    grade: str
    work_date: date
    #: The day's overtime order (근무명령), approved or not; None when there is none.
    order: Span | None = None
    #: Whether the order was approved (only an approved order is recognised).
    approved: bool = False
    #: The clock record; None when the clock-in or the clock-out is missing.
    record: Span | None = None
    #: Whether there is a clock-in at all (a clock-in without a clock-out is 미기록).
    clocked_in: bool = False
    #: The day type the attendance system wrote, checked against the calendar; None: not given.
    day_type: DayType | None = None

    @property
    def approved_order(self) -> Span | None:
        """The order when it was approved, else None."""
        return self.order if self.approved else None


class AttendanceRow(BaseModel):
    """One person's day as exported (초과근무 관리 / 전자근태); titles are the column headers."""

    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)

    staff_no: str = Field(title="직원번호", min_length=1, max_length=20)
    name: str = Field(title="성명", min_length=1, max_length=50, repr=False)
    department: str = Field(title="부서", min_length=1, max_length=50)
    grade: str = Field(title="직급", min_length=1, max_length=20)
    work_date: date = Field(title="근무일")
    day_type: str = Field(title="일 구분", default="", max_length=10)
    order_start: time | None = Field(title="명령 시작", default=None)
    order_end: time | None = Field(title="명령 종료", default=None)
    approved: bool = Field(title="명령 승인", default=False)
    clock_in: datetime | time | None = Field(title="출근 시각", default=None)
    clock_out: datetime | time | None = Field(title="퇴근 시각", default=None)


def _minute_of(moment: datetime | time, work_date: date) -> int | None:
    """Minutes from ``work_date``'s midnight; None for a datetime on neither that day nor the
    next."""
    if isinstance(moment, datetime):
        days = (moment.date() - work_date).days
        if days not in (0, 1):
            return None
        return days * DAY_MINUTES + moment.hour * 60 + moment.minute
    return moment.hour * 60 + moment.minute


def _order(row: AttendanceRow, problems: list[Finding]) -> Span | None:
    if row.order_start is None or row.order_end is None:
        if row.order_start is not None or row.order_end is not None:
            problems.append(Finding(code="overtime.row.order_incomplete"))
        elif row.approved:
            problems.append(Finding(code="overtime.row.approved_without_order"))
        return None
    start = row.order_start.hour * 60 + row.order_start.minute
    end = row.order_end.hour * 60 + row.order_end.minute
    if start == end:
        problems.append(Finding(code="overtime.row.order_empty"))
        return None
    # An order ending before it starts runs past midnight.
    return Span(start, end if end > start else end + DAY_MINUTES)


def _record(row: AttendanceRow, problems: list[Finding]) -> Span | None:
    if row.clock_in is None:
        if row.clock_out is not None:
            problems.append(Finding(code="overtime.row.clock_in_missing"))
        return None
    start = _minute_of(row.clock_in, row.work_date)
    if start is None or start >= DAY_MINUTES:
        problems.append(Finding(code="overtime.row.clock_in_other_day"))
        return None
    if row.clock_out is None:
        return None  # 미기록: the checks flag an order on such a day
    end = _minute_of(row.clock_out, row.work_date)
    if end is not None and not isinstance(row.clock_out, datetime) and end <= start:
        end += DAY_MINUTES  # a clock-out time before the clock-in is on the next day
    if end is None or end <= start:
        problems.append(Finding(code="overtime.row.clock_out_before_in"))
        return None
    if end - start >= DAY_MINUTES:
        problems.append(Finding(code="overtime.row.record_too_long"))
        return None
    return Span(start, end)


def to_day_record(row: AttendanceRow) -> DayRecord:
    """``row`` checked: raises :class:`~civicrpa.core.errors.InputRejected` naming every problem
    (``overtime.row.*``; ``overtime.row.problems`` when there are several)."""
    problems: list[Finding] = []
    day_type = None
    if row.day_type.strip():
        day_type = DAY_TYPE_LABELS.get(row.day_type.strip())
        if day_type is None:
            known = ", ".join(label for label in DAY_TYPE_LABELS if not label.isascii())
            problems.append(Finding(code="overtime.row.bad_day_type", params={"known": known}))
    order = _order(row, problems)
    record = _record(row, problems)
    if problems:
        raise rejected(problems, several="overtime.row.problems")
    return DayRecord(
        staff_no=row.staff_no.strip(),
        name=row.name.strip(),
        department=row.department.strip(),
        grade=row.grade.strip(),
        work_date=row.work_date,
        order=order,
        approved=row.approved,
        record=record,
        clocked_in=row.clock_in is not None,
        day_type=day_type,
    )


def check_attendance_rows(
    rows: Iterable[tuple[int, AttendanceRow | Mapping[str, Any]]],
) -> CheckedRows[DayRecord]:
    """Each numbered row checked on its own: the records, and every refused row with its reason
    (``overtime.row.malformed`` names the faulty columns of a row the model refuses)."""
    return check_rows(rows, AttendanceRow, to_day_record, malformed="overtime.row.malformed")


__all__ = [
    "DAY_MINUTES",
    "DAY_TYPE_LABELS",
    "AttendanceRow",
    "DayRecord",
    "DayType",
    "Span",
    "check_attendance_rows",
    "to_day_record",
]
