"""One person's month of 초과근무수당: every day's recognised minutes, the hours, the amount.

The month is the unit the HR system is paid by (one work item per person and month): the
result keeps each day's figures beside the totals, so the department's reconciliation sheet
shows where every minute came from, and its totals are always the sum of its days. The steps
are the pure rules of :mod:`.rules`; this module runs them over the month's records.

A department's pay list computes hundreds of months under one calendar and policy:
:class:`MonthCalculator` works out what they share once (the type of each date, a grade's unit
price, the day rule), which keeps a year of 400 staff well under a second
(``bench/rules_throughput.py``). :func:`month_result` is the same for a single month.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import cast

from civicrpa.core.errors import InputRejected
from civicrpa.processes.overtime_pay.inputs import DayRecord, DayType
from civicrpa.processes.overtime_pay.policy import Policy
from civicrpa.processes.overtime_pay.rules import (
    DayCalendar,
    DayCounter,
    MonthHours,
    UnitPrice,
    amount,
    attended_days,
    day_counter,
    day_type,
    month_hours,
    normal_hours,
    unit_price,
)

_WORK_DATE = attrgetter("work_date")
_STAFF_NO = attrgetter("staff_no")
_STAFF_AND_DATE = attrgetter("staff_no", "work_date")


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
class PersonMonth:
    """One person's day records of one month, checked when made: one person, one grade, one
    record a day (in the order given). :meth:`of` derives the other fields from the records."""

    staff_no: str
    grade: str
    #: The month's first day.
    month: date
    records: tuple[DayRecord, ...]
    #: The records' work dates, in their order.
    days: tuple[date, ...]

    def __post_init__(self) -> None:
        _check_month(self)

    @classmethod
    def of(cls, records: Iterable[DayRecord]) -> PersonMonth:
        """The month of ``records``; raises :class:`InputRejected` when they mix people or
        months (``overtime.mixed_records``), hold one day twice (``overtime.day_twice``) or
        change grade within the month (``overtime.grade_changed``)."""
        rows = tuple(records)
        if not rows:
            raise InputRejected("overtime.no_records")
        head = rows[0].work_date
        return cls(
            staff_no=rows[0].staff_no,
            grade=rows[0].grade,
            month=date(head.year, head.month, 1),
            records=rows,
            days=tuple(map(_WORK_DATE, rows)),
        )


def group_months(records: Iterable[DayRecord]) -> dict[tuple[str, date], list[DayRecord]]:
    """An export's records by person and month (each month's first day), sorted by staff
    number, month and date: one work item each, checked on its own by :meth:`PersonMonth.of`."""
    groups: dict[tuple[str, date], list[DayRecord]] = {}
    for record in sorted(records, key=_STAFF_AND_DATE):
        day = record.work_date
        groups.setdefault((record.staff_no, date(day.year, day.month, 1)), []).append(record)
    return groups


@dataclass(frozen=True, kw_only=True)
class MonthResult:
    """A person's month (the result row of ``overtime.md``): its days and totals.

    The days are kept column by column (``days``, ``day_types``, ``claimed``, ``recognised``,
    in the records' order); :attr:`lines` gives them row by row.
    """

    staff_no: str
    grade: str
    #: The month's first day.
    month: date
    days: tuple[date, ...]
    day_types: tuple[DayType, ...]
    claimed: tuple[int, ...]
    recognised: tuple[int, ...]
    hours: MonthHours
    #: Days with a clock-in, and the 정액분 hours they earn (U; 0 when not earned).
    attended_days: int
    flat_hours: int
    price: UnitPrice
    #: Paid hours x price, and flat hours x price.
    overtime_amount: int
    flat_amount: int

    @property
    def lines(self) -> tuple[DayLine, ...]:
        """The days, one line each."""
        return tuple(
            DayLine(work_date=day, day_type=kind, claimed=claimed, recognised=recognised)
            for day, kind, claimed, recognised in zip(
                self.days, self.day_types, self.claimed, self.recognised, strict=True
            )
        )

    @property
    def recognised_minutes(self) -> int:
        """Recognised minutes of the month: the sum of its days."""
        return self.hours.minutes

    @property
    def paid_hours(self) -> int:
        """Overtime hours paid, after the monthly cap."""
        return self.hours.paid_hours

    @property
    def amount(self) -> int:
        """The month's 초과근무수당 in won: the sum of its two lines."""
        return self.overtime_amount + self.flat_amount


class DayTypes:
    """Day types of one calendar, each date asked of it once (a month's 400 people share its
    31 days). The calendar must not change meanwhile (:class:`BusinessCalendar` does not)."""

    __slots__ = ("_calendar", "_known")

    def __init__(self, calendar: DayCalendar) -> None:
        self._calendar = calendar
        self._known: dict[date, DayType] = {}

    def __call__(self, day: date) -> DayType:
        """The type of ``day`` (:func:`day_type`)."""
        kind = self._known.get(day)
        if kind is None:
            kind = self._known[day] = day_type(day, self._calendar)
        return kind

    def of(self, days: Sequence[date]) -> list[DayType]:
        """The types of ``days``, in order."""
        kinds = list(map(self._known.get, days))
        if None in kinds:
            return [self(day) for day in days]
        return cast(list[DayType], kinds)  # no None left


class MonthCalculator:
    """Months of any number of people under one calendar and policy (module docs)."""

    __slots__ = ("_counters", "_day_types", "_prices", "policy")

    def __init__(self, *, calendar: DayCalendar, policy: Policy) -> None:
        self.policy = policy
        self._day_types = DayTypes(calendar)
        self._prices: dict[tuple[str, date], UnitPrice] = {}
        self._counters: dict[date, DayCounter] = {}

    def result(self, month: PersonMonth | Sequence[DayRecord]) -> MonthResult:
        """The month of one person: a checked :class:`PersonMonth`, or their day records of
        one month, checked here (:meth:`PersonMonth.of`).

        Raises :class:`InputRejected` for records that are not one person's month, or when no
        table row prices the grade. The month's normal hours are those of its first day.
        """
        if not isinstance(month, PersonMonth):
            month = PersonMonth.of(month)
        policy, first, records = self.policy, month.month, month.records
        kinds = self._day_types.of(month.days)
        claimed, recognised = zip(*map(self._counter(first), kinds, records), strict=False)
        totals = month_hours(recognised, policy)
        attended = attended_days(records)
        flat = policy.flat_hours if attended >= policy.flat_min_days else 0
        if policy.flat_within_monthly_cap:
            room = max(policy.monthly_cap_hours - flat, 0)
            totals = MonthHours(
                minutes=totals.minutes, hours=totals.hours, paid_hours=min(totals.hours, room)
            )
        price = self._price(month.grade, first)
        return MonthResult(
            staff_no=month.staff_no,
            grade=month.grade,
            month=first,
            days=month.days,
            day_types=tuple(kinds),
            claimed=claimed,
            recognised=recognised,
            hours=totals,
            attended_days=attended,
            flat_hours=flat,
            price=price,
            overtime_amount=amount(totals.paid_hours, price.amount, policy.won_unit),
            flat_amount=amount(flat, price.amount, policy.won_unit),
        )

    def _counter(self, first: date) -> DayCounter:
        counter = self._counters.get(first)
        if counter is None:
            hours = normal_hours(self.policy.tables.working_day_on(first))
            counter = self._counters[first] = day_counter(self.policy, hours)
        return counter

    def _price(self, grade: str, first: date) -> UnitPrice:
        price = self._prices.get((grade, first))
        if price is None:
            price = self._prices[(grade, first)] = unit_price(grade, first, self.policy)
        return price


def month_result(
    month: PersonMonth | Sequence[DayRecord], *, calendar: DayCalendar, policy: Policy
) -> MonthResult:
    """The month of one person (:meth:`MonthCalculator.result`)."""
    return MonthCalculator(calendar=calendar, policy=policy).result(month)


def _check_month(month: PersonMonth) -> None:
    records, days, first = month.records, month.days, month.month
    if not records or len(days) != len(records) or first.day != 1:
        raise InputRejected("overtime.no_records")
    if (
        len(set(map(_STAFF_NO, records))) > 1
        or records[0].staff_no != month.staff_no
        or {(day.year, day.month) for day in days} != {(first.year, first.month)}
    ):
        raise InputRejected("overtime.mixed_records", {"month": first.strftime("%Y-%m")})
    if len(set(days)) != len(days):
        twice = next(day for day in days if days.count(day) > 1)
        raise InputRejected("overtime.day_twice", {"date": twice.isoformat()})
    other = next((record for record in records if record.grade != month.grade), None)
    if other is not None:
        params = {"before": month.grade, "after": other.grade, "date": other.work_date.isoformat()}
        raise InputRejected("overtime.grade_changed", params, field="grade")


__all__ = [
    "DayLine",
    "DayTypes",
    "MonthCalculator",
    "MonthResult",
    "PersonMonth",
    "group_months",
    "month_result",
]
