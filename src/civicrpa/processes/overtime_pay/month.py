"""One person's month of 초과근무수당: every day's recognised minutes, the hours, the amount.

The month is the unit the HR system is paid by (one work item per person and month): the
result keeps each day's line beside the totals, so the department's reconciliation sheet shows
where every minute came from, and its totals are always the sum of its lines. The steps are the
pure rules of :mod:`.rules`; this module only runs them over the month's records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from civicrpa.core.errors import InputRejected
from civicrpa.processes.overtime_pay.inputs import DayRecord, DayType
from civicrpa.processes.overtime_pay.policy import Policy
from civicrpa.processes.overtime_pay.rules import (
    DayCalendar,
    MonthHours,
    UnitPrice,
    amount,
    attended_days,
    claimed_minutes,
    day_type,
    month_hours,
    normal_hours,
    recognised_minutes,
    unit_price,
)


@dataclass(frozen=True, kw_only=True, slots=True)
class DayLine:
    """One day of the month: its type, the overtime it shows and what is recognised."""

    work_date: date
    day_type: DayType
    #: Overtime minutes before the deduction and the daily cap.
    claimed: int
    #: Minutes recognised after both.
    recognised: int


@dataclass(frozen=True, kw_only=True)
class MonthResult:
    """A person's month (the result row of ``overtime.md``), lines and totals."""

    staff_no: str
    grade: str
    #: The month's first day.
    month: date
    lines: tuple[DayLine, ...]
    hours: MonthHours
    #: Days with a clock-in, and the 정액분 hours they earn (U, 0 when not earned).
    attended_days: int
    flat_hours: int
    price: UnitPrice
    #: Paid hours x price, and flat hours x price.
    overtime_amount: int
    flat_amount: int

    @property
    def recognised_minutes(self) -> int:
        """Recognised minutes of the month: the sum of its lines."""
        return self.hours.minutes

    @property
    def paid_hours(self) -> int:
        """Overtime hours paid, after the monthly cap."""
        return self.hours.paid_hours

    @property
    def amount(self) -> int:
        """The month's 초과근무수당 in won: the sum of its two lines."""
        return self.overtime_amount + self.flat_amount


def month_result(
    records: Sequence[DayRecord], *, calendar: DayCalendar, policy: Policy
) -> MonthResult:
    """The month of one person from their day records (one a day, at least one).

    Raises :class:`InputRejected` when the records mix people or months
    (``overtime.mixed_records``), hold one day twice (``overtime.day_twice``), change grade
    within the month (``overtime.grade_changed``), or when no table row prices the grade.
    """
    first = _check_month(records)
    hours_row = policy.tables.working_day_on(first)
    hours = normal_hours(hours_row)
    lines = []
    for record in records:
        kind = day_type(record.work_date, calendar)
        claimed = claimed_minutes(kind, record.approved_order, record.record, hours, policy)
        lines.append(
            DayLine(
                work_date=record.work_date,
                day_type=kind,
                claimed=claimed,
                recognised=recognised_minutes(kind, claimed, policy),
            )
        )
    totals = month_hours([line.recognised for line in lines], policy)
    attended = attended_days(records)
    flat = policy.flat_hours if attended >= policy.flat_min_days else 0
    if policy.flat_within_monthly_cap:
        room = max(policy.monthly_cap_hours - flat, 0)
        totals = MonthHours(
            minutes=totals.minutes, hours=totals.hours, paid_hours=min(totals.hours, room)
        )
    price = unit_price(records[0].grade, first, policy)
    return MonthResult(
        staff_no=records[0].staff_no,
        grade=records[0].grade,
        month=first,
        lines=tuple(lines),
        hours=totals,
        attended_days=attended,
        flat_hours=flat,
        price=price,
        overtime_amount=amount(totals.paid_hours, price.amount, policy.won_unit),
        flat_amount=amount(flat, price.amount, policy.won_unit),
    )


def _check_month(records: Sequence[DayRecord]) -> date:
    if not records:
        raise InputRejected("overtime.no_records")
    head = records[0]
    first = head.work_date.replace(day=1)
    seen: set[date] = set()
    for record in records:
        day = record.work_date
        if record.staff_no != head.staff_no or (day.year, day.month) != (first.year, first.month):
            raise InputRejected("overtime.mixed_records", {"month": first.strftime("%Y-%m")})
        if day in seen:
            raise InputRejected("overtime.day_twice", {"date": day.isoformat()})
        if record.grade != head.grade:
            params = {"before": head.grade, "after": record.grade, "date": day.isoformat()}
            raise InputRejected("overtime.grade_changed", params, field="grade")
        seen.add(day)
    return first


__all__ = ["DayLine", "MonthResult", "month_result"]
