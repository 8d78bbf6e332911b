"""The rules of 초과근무수당: recognised minutes per day, the month's hours, rate and amount.

Regulation: 「지방공무원 수당 등에 관한 규정」 Art. 15 and the yearly 「지방공무원 보수업무 등
처리지침」; where the local text was not read, the national 「공무원수당 등에 관한 규정」 Art. 15
(``shared/domain/overtime.md`` R1-R2). The figures are in :mod:`.tables`, the unverified values
in :class:`~.policy.Policy`. The steps, in the default order (U):

1. the day's overtime: the overlap of the approved order and the clock record, outside normal
   hours on a weekday, all of it on a Saturday or holiday (:func:`claimed_minutes`);
2. the weekday deduction of one hour, then the daily cap of 4 hours (:func:`recognised_minutes`);
3. the month: minutes added, the remainder under an hour dropped, the cap of 57 hours
   (:func:`month_hours`);
4. hours x the grade's unit price, below 1 won dropped (:func:`hourly_rate`, :func:`amount`).

Which days are Saturdays or holidays comes from the Korean calendar passed in (public,
substitute and the city's own holidays), never from settings. Nothing here corrects a record:
the suspicious ones are found by :mod:`.checks`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from civicrpa.core.errors import InputRejected
from civicrpa.processes.overtime_pay.inputs import DayRecord, DayType, Span
from civicrpa.processes.overtime_pay.policy import MinuteSumming, Policy, RateDay, Recognition
from civicrpa.processes.overtime_pay.tables import WorkingDayRow


class DayCalendar(Protocol):
    """The Korean business calendar (:class:`civicrpa.runtime.calendar.BusinessCalendar`)."""

    def is_business_day(self, d: date, /) -> bool: ...

    def holiday_name(self, d: date, /) -> str | None: ...


def day_type(day: date, calendar: DayCalendar) -> DayType:
    """Weekday, Saturday or holiday (지방공무원 복무규정 Art. 2, V2; 관공서의 공휴일에 관한 규정).

    A day the city hall is open is a weekday (the city's extra business days too); a Saturday
    that is no public holiday is a Saturday; every other closed day (Sunday, public, substitute
    and local holidays) is a holiday. Saturdays and holidays get no deduction either way.
    """
    if calendar.is_business_day(day):
        return DayType.WEEKDAY
    if day.weekday() == 5 and calendar.holiday_name(day) is None:
        return DayType.SATURDAY
    return DayType.HOLIDAY


def normal_hours(row: WorkingDayRow) -> Span:
    """The working day of ``row`` (09:00-18:00, V2) as a span of minutes."""
    return Span(row.start.hour * 60 + row.start.minute, row.end.hour * 60 + row.end.minute)


def outside_hours(span: Span, kind: DayType, hours: Span) -> int:
    """Minutes of ``span`` that are overtime: outside ``hours`` on a weekday, all otherwise."""
    return _outside(span.start, span.end, kind, hours)


def _outside(start: int, end: int, kind: DayType, hours: Span) -> int:
    if kind is not DayType.WEEKDAY:
        return end - start
    inside = min(end, hours.end) - max(start, hours.start)
    return end - start - (inside if inside > 0 else 0)


def claimed_minutes(
    kind: DayType, order: Span | None, record: Span | None, hours: Span, policy: Policy
) -> int:
    """A day's overtime before the deduction and the cap (R2; recognition U).

    ``order`` is the approved order (None without one: nothing is recognised), ``record`` the
    clock record. By default the overlap of the two counts; with ``Recognition.RECORD`` the
    whole record does, the order only having to exist.
    """
    if order is None or record is None:
        return 0
    if policy.recognition is Recognition.RECORD:
        return _outside(record.start, record.end, kind, hours)
    start = order.start if order.start > record.start else record.start
    end = order.end if order.end < record.end else record.end
    return _outside(start, end, kind, hours) if end > start else 0


def recognised_minutes(kind: DayType, claimed: int, policy: Policy) -> int:
    """A day's recognised minutes: ``claimed`` less the weekday hour, capped at 4 hours (R2).

    Weekday deduction 60 min and cap 240 min: national Art. 15(4)-(5) V1, local U; Saturdays and
    holidays get no deduction. The order (deduct, then cap) is U: ``deduct_before_daily_cap``.
    """
    deduction = policy.weekday_deduction_minutes if kind is DayType.WEEKDAY else 0
    cap = policy.daily_cap_minutes
    if policy.deduct_before_daily_cap:
        return min(max(claimed - deduction, 0), cap)
    return max(min(claimed, cap) - deduction, 0)


#: A day's ``(claimed, recognised)`` minutes, from its type and its record.
DayCounter = Callable[[DayType, DayRecord], tuple[int, int]]


def day_counter(policy: Policy, hours: Span) -> DayCounter:
    """:func:`claimed_minutes` then :func:`recognised_minutes` as one function, for a month's
    every day (a property test holds the three equal).

    A year of 400 staff is 100,000 days, and the month's loop should cost little more than
    the arithmetic itself (``bench/rules_throughput.py``): the policy's figures are read once
    here, into the returned function's constants, instead of on every day.
    """
    deduction, cap = policy.weekday_deduction_minutes, policy.daily_cap_minutes
    deduct_first = policy.deduct_before_daily_cap
    whole_record = policy.recognition is Recognition.RECORD
    work_start, work_end = hours.start, hours.end
    weekday = DayType.WEEKDAY

    def count(kind: DayType, day: DayRecord) -> tuple[int, int]:
        order, record = day.order, day.record
        if order is None or record is None or not day.approved:
            return 0, 0
        if whole_record:
            start, end = record.start, record.end
        else:
            start = order.start if order.start > record.start else record.start
            end = order.end if order.end < record.end else record.end
            if end <= start:
                return 0, 0
        claimed = end - start
        taken = 0
        if kind is weekday:
            inside = (end if end < work_end else work_end) - (
                start if start > work_start else work_start
            )
            if inside > 0:
                claimed -= inside
            taken = deduction
        if deduct_first:
            net = claimed - taken
            return claimed, (0 if net < 0 else cap if net > cap else net)
        net = (cap if claimed > cap else claimed) - taken
        return claimed, (net if net > 0 else 0)

    return count


@dataclass(frozen=True, kw_only=True)
class MonthHours:
    """The month's time: minutes added, whole hours, and the hours paid after the cap."""

    minutes: int
    #: Whole hours before the monthly cap (the remainder under an hour dropped).
    hours: int
    #: Hours paid: ``hours`` capped at the monthly cap.
    paid_hours: int


def month_hours(daily_minutes: Iterable[int], policy: Policy) -> MonthHours:
    """The month's hours from the recognised minutes of its days (R2).

    Minutes are added over the month and the remainder under one hour dropped (national V1,
    local U; ``MinuteSumming.DAY`` drops it day by day instead), then the monthly cap of 57 h
    (national Art. 15(4) V1, local U).
    """
    days = list(daily_minutes)
    minutes = sum(days)
    if policy.minute_summing is MinuteSumming.MONTH:
        hours = minutes // 60
    else:
        hours = sum(day // 60 for day in days)
    return MonthHours(minutes=minutes, hours=hours, paid_hours=min(hours, policy.monthly_cap_hours))


def hourly_rate(
    base_pay: int,
    rate_percent: int,
    *,
    divisor: int = 209,
    premium_percent: int = 150,
    won_unit: int = 1,
) -> int:
    """시간당 단가 = ``base_pay`` x ``rate_percent`` % x 1/209 x 150 %, below ``won_unit`` dropped.

    Regulation: 지방공무원 수당 등에 관한 규정 Art. 15(2), amended 2017-09-05 (V1); dropping the
    part below 1 won is U. Integer arithmetic, so 9,868.42 is 9,868 exactly.
    """
    rate = base_pay * rate_percent * premium_percent // (100 * 100 * divisor)
    return rate - rate % won_unit


@dataclass(frozen=True, kw_only=True)
class UnitPrice:
    """A grade's hourly price for a month, and where it comes from."""

    grade: str
    amount: int
    #: ``valid_from`` of the pay row used, and what it cites.
    valid_from: date
    regulation: str
    #: True for a published unit price; False when computed from the reference pay.
    published: bool


def rate_day(month: date, policy: Policy) -> date:
    """The day whose table rows price the month of ``month`` (U: its first day)."""
    first = month.replace(day=1)
    if policy.rate_day is RateDay.FIRST_DAY:
        return first
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def unit_price(grade: str, month: date, policy: Policy) -> UnitPrice:
    """The hourly price of ``grade`` for the month of ``month`` (R1).

    The pay row's published unit price when it has one (2025: V2 national), else the formula
    from its reference pay. A grade the row does not know raises :class:`InputRejected`
    (``overtime.no_rate_for_grade``): the city adds its pay table.
    """
    day = rate_day(month, policy)
    pay = policy.tables.pay_on(day)
    figures = pay.pay_of(grade)
    if figures is None:
        params = {"grade": grade, "day": day.isoformat()}
        raise InputRejected("overtime.no_rate_for_grade", params, field="grade")
    if figures.unit_price is not None:
        price, published = figures.unit_price - figures.unit_price % policy.won_unit, True
    else:
        assert figures.base_pay is not None  # a GradePay has one of the two
        formula = policy.tables.formula_on(day)
        price = hourly_rate(
            figures.base_pay,
            formula.percent_for(grade),
            divisor=formula.divisor,
            premium_percent=formula.premium_percent,
            won_unit=policy.won_unit,
        )
        published = False
    return UnitPrice(
        grade=grade,
        amount=price,
        valid_from=pay.valid_from,
        regulation=f"{pay.regulation} {pay.article}",
        published=published,
    )


def amount(hours: int, price: int, won_unit: int = 1) -> int:
    """Hours x unit price, below ``won_unit`` dropped (10 h x 9,868 = 98,680)."""
    total = hours * price
    return total - total % won_unit


def attended_days(records: Sequence[DayRecord]) -> int:
    """Days with a clock-in, for the 정액분 (U: what counts as attended)."""
    return sum([record.clocked_in for record in records])


__all__ = [
    "DayCalendar",
    "DayCounter",
    "MonthHours",
    "UnitPrice",
    "amount",
    "attended_days",
    "claimed_minutes",
    "day_counter",
    "day_type",
    "hourly_rate",
    "month_hours",
    "normal_hours",
    "outside_hours",
    "rate_day",
    "recognised_minutes",
    "unit_price",
]
