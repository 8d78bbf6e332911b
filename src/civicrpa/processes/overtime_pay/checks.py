"""Suspicious overtime records, found for the department to confirm, never corrected here.

Issue #13 lists what a 서무 checks before signing the month: a clock-out late in the evening
without an approved order, the very same clock times on many days (typed in rather than read
from the card), hours past the daily or monthly cap, and a record on a day of leave or a trip.
Two more come from the records themselves: an approved order without a full clock record
(미기록), and a day type the attendance system wrote that the Korean calendar contradicts.

Each check is a pure function returning :class:`~civicrpa.core.findings.Finding` values
(``overtime.finding.*``: a code, the date and the figures, never another person's data). The
caps are still applied by the rules (they are the regulation); the finding only says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from civicrpa.core.findings import Finding
from civicrpa.core.messages import render
from civicrpa.processes.overtime_pay.inputs import DAY_MINUTES, DayRecord, DayType
from civicrpa.processes.overtime_pay.month import MonthResult
from civicrpa.processes.overtime_pay.policy import Policy
from civicrpa.processes.overtime_pay.rules import (
    DayCalendar,
    day_type,
    normal_hours,
    outside_hours,
    recognised_minutes,
)


class AbsenceKind(StrEnum):
    """Why a person was away from the office on a day (HR's leave and trip records)."""

    #: 휴가 (연가, 병가, 공가 ...), a whole day.
    LEAVE = "leave"
    #: 출장, approved.
    TRIP = "trip"


@dataclass(frozen=True, kw_only=True)
class Absence:
    """A day a person was on leave or on a trip."""

    staff_no: str
    day: date
    kind: AbsenceKind


def clock(minutes: int) -> str:
    """``18:30`` for 1110 minutes; ``익일 01:00`` past midnight."""
    day, rest = divmod(minutes, DAY_MINUTES)
    text = f"{rest // 60:02d}:{rest % 60:02d}"
    return f"익일 {text}" if day else text


def _ko(kind: DayType) -> str:
    return render(f"overtime.day_type.{kind.value}")


def clock_outs_without_order(
    records: Iterable[DayRecord], *, calendar: DayCalendar, policy: Policy
) -> list[Finding]:
    """Days whose clock record alone would be recognised overtime, without an approved order."""
    findings = []
    for record in records:
        if record.record is None or record.approved_order is not None:
            continue
        kind = day_type(record.work_date, calendar)
        hours = normal_hours(policy.tables.working_day_on(record.work_date))
        claimed = outside_hours(record.record, kind, hours)
        if recognised_minutes(kind, claimed, policy) > 0:
            code = "order_not_approved" if record.order is not None else "clock_out_without_order"
            params = {"date": record.work_date.isoformat(), "clock_out": clock(record.record.end)}
            findings.append(Finding(code=f"overtime.finding.{code}", params=params))
    return findings


def repeated_times(
    records: Iterable[DayRecord], *, calendar: DayCalendar, policy: Policy
) -> list[Finding]:
    """The same clock-in and clock-out, to the minute, on ``repeated_times_min_days`` or more
    days that run past normal hours (or fall on a Saturday or holiday)."""
    days: dict[tuple[int, int], list[date]] = defaultdict(list)
    for record in records:
        if record.record is None:
            continue
        kind = day_type(record.work_date, calendar)
        hours = normal_hours(policy.tables.working_day_on(record.work_date))
        if outside_hours(record.record, kind, hours) > 0:
            days[(record.record.start, record.record.end)].append(record.work_date)
    findings = []
    for (start, end), dates in sorted(days.items()):
        if len(dates) >= policy.repeated_times_min_days:
            params = {
                "clock_in": clock(start),
                "clock_out": clock(end),
                "days": len(dates),
                "dates": ", ".join(day.isoformat() for day in sorted(dates)),
            }
            findings.append(Finding(code="overtime.finding.repeated_times", params=params))
    return findings


def past_caps(result: MonthResult, policy: Policy) -> list[Finding]:
    """Days whose overtime exceeded the daily cap, and a month past the monthly cap."""
    findings = []
    for line in result.lines:
        deduction = policy.weekday_deduction_minutes if line.day_type is DayType.WEEKDAY else 0
        before_cap = line.claimed - deduction if policy.deduct_before_daily_cap else line.claimed
        if before_cap > policy.daily_cap_minutes:
            params = {
                "date": line.work_date.isoformat(),
                "minutes": before_cap,
                "cap": policy.daily_cap_minutes,
            }
            findings.append(Finding(code="overtime.finding.daily_cap", params=params))
    if result.hours.hours > result.hours.paid_hours:
        params = {"hours": result.hours.hours, "paid": result.hours.paid_hours}
        findings.append(Finding(code="overtime.finding.monthly_cap", params=params))
    return findings


def on_leave_or_trip(records: Iterable[DayRecord], absences: Iterable[Absence]) -> list[Finding]:
    """A clock record or an order on a day of leave; an approved order on a trip day."""
    away = {(absence.staff_no, absence.day): absence.kind for absence in absences}
    findings = []
    for record in records:
        kind = away.get((record.staff_no, record.work_date))
        if kind is AbsenceKind.LEAVE and (record.clocked_in or record.order is not None):
            findings.append(_dated("overtime.finding.on_leave", record.work_date))
        elif kind is AbsenceKind.TRIP and record.approved_order is not None:
            findings.append(_dated("overtime.finding.on_trip", record.work_date))
    return findings


def orders_without_record(records: Iterable[DayRecord]) -> list[Finding]:
    """Approved orders on days without a full clock record (no clock-in, or no clock-out)."""
    return [
        _dated(
            "overtime.finding.no_clock_out" if record.clocked_in else "overtime.finding.no_record",
            record.work_date,
        )
        for record in records
        if record.approved_order is not None and record.record is None
    ]


def day_type_mismatches(records: Iterable[DayRecord], calendar: DayCalendar) -> list[Finding]:
    """Days the attendance system typed otherwise than the Korean calendar says."""
    findings = []
    for record in records:
        if record.day_type is None:
            continue
        expected = day_type(record.work_date, calendar)
        if record.day_type is not expected:
            params = {
                "date": record.work_date.isoformat(),
                "given": _ko(record.day_type),
                "expected": _ko(expected),
            }
            findings.append(Finding(code="overtime.finding.day_type_mismatch", params=params))
    return findings


def check_month(
    records: Sequence[DayRecord],
    result: MonthResult,
    *,
    calendar: DayCalendar,
    policy: Policy,
    absences: Iterable[Absence] = (),
) -> tuple[Finding, ...]:
    """Every finding of one person's month, check by check."""
    return (
        *clock_outs_without_order(records, calendar=calendar, policy=policy),
        *orders_without_record(records),
        *repeated_times(records, calendar=calendar, policy=policy),
        *past_caps(result, policy),
        *on_leave_or_trip(records, absences),
        *day_type_mismatches(records, calendar),
    )


def _dated(code: str, day: date) -> Finding:
    return Finding(code=code, params={"date": day.isoformat()})


__all__ = [
    "Absence",
    "AbsenceKind",
    "check_month",
    "clock",
    "clock_outs_without_order",
    "day_type_mismatches",
    "on_leave_or_trip",
    "orders_without_record",
    "past_caps",
    "repeated_times",
]
