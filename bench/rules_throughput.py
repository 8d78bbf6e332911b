"""Overtime rules throughput: the process's rules against the same arithmetic written inline.

About 400 staff for a year (2025): 250 attendance rows a person, every business day and a few
Saturdays and holidays, 100,000 rows in all, generated from a fixed seed so every run measures
the same month records. Four rows in ten carry an overtime order (nine in ten of them
approved), clock-outs spread from 17:50 to 23:30. The rows are grouped into checked person-months
(:class:`civicrpa.processes.overtime_pay.PersonMonth`, one work item each) before anything is
timed: that is reading the export, the same input for both loops.

Two ways of computing every person's every month, each in the same run, alternating, over
``ROUNDS`` rounds; the fastest round of each is reported (CPU time of this process: the
least disturbed by other jobs on the machine), the median beside it:

- ``rules``: :class:`civicrpa.processes.overtime_pay.MonthCalculator` per person and month,
  the process's real code path (the Korean calendar, the dated tables, the policy, a result
  with every day's minutes);
- ``inline``: a plain loop doing the same arithmetic in place (overlap, outside normal hours,
  weekday hour, daily cap, monthly sum, floor, cap, unit price x hours), with the same calendar
  (each date's type asked once, as the rules' calculator does), keeping the same figures (each
  day's type and minutes, the month's totals) in plain tuples.

Both must agree on every amount; the bench stops if they do not. The findings of
:mod:`civicrpa.processes.overtime_pay.checks` are timed too, for information. The last line is
the headline: the rules' seconds. Targets: under 1 second, at most 1.5 x the inline baseline.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from civicrpa.processes.overtime_pay import (
    DayRecord,
    DayType,
    MonthCalculator,
    PersonMonth,
    Policy,
    Span,
    check_month,
)
from civicrpa.runtime.calendar import BusinessCalendar

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "9"))
STAFF = 400
ROWS_PER_PERSON = 250
YEAR = 2025
SEED = 13
GRADES = ("5급", "6급", "7급", "8급", "9급")
Months = list[PersonMonth]


def generate(calendar: BusinessCalendar) -> Months:
    """Every person's months, checked (100,000 rows): input for both loops, made before
    either is timed, as a pay list groups its export before computing it."""
    rng = random.Random(SEED)
    days = [date(YEAR, 1, 1) + timedelta(days=n) for n in range(365)]
    workdays = [day for day in days if calendar.is_business_day(day)]
    others = [day for day in days if not calendar.is_business_day(day)]
    months: Months = []
    for person in range(STAFF):
        grade = GRADES[person % len(GRADES)]
        extra = rng.sample(others, ROWS_PER_PERSON - len(workdays))
        by_month: dict[int, list[DayRecord]] = defaultdict(list)
        for day in sorted(workdays + extra):
            by_month[day.month].append(_record(rng, person, grade, day))
        months.extend(PersonMonth.of(by_month[month]) for month in sorted(by_month))
    return months


def _record(rng: random.Random, person: int, grade: str, day: date) -> DayRecord:
    clock_in = rng.randint(8 * 60 + 20, 9 * 60 + 10)
    clock_out = rng.randint(17 * 60 + 50, 23 * 60 + 30)
    order = None
    if rng.random() < 0.4:
        start = 18 * 60 if day.weekday() < 5 else 9 * 60
        order = Span(start, start + rng.choice((60, 120, 180, 240, 300)))
    return DayRecord(
        staff_no=f"E{person:05d}",
        name="직원",
        department="총무과",
        grade=grade,
        work_date=day,
        order=order,
        approved=order is not None and rng.random() < 0.9,
        record=Span(clock_in, clock_out),
        clocked_in=True,
    )


def run_rules(months: Months, calendar: BusinessCalendar, policy: Policy) -> list[int]:
    """The process's rules, one call per person and month, as a pay list computes them."""
    calculator = MonthCalculator(calendar=calendar, policy=policy)
    return [calculator.result(records).amount for records in months]


def run_inline(months: Months, calendar: BusinessCalendar, policy: Policy) -> list[int]:
    """The same arithmetic in one plain loop: no rule functions, no checks of the input, no
    result objects. It keeps what the rules' result keeps (each day's type, minutes before and
    after the deduction and cap, the month's totals) as plain lists and tuples, and asks each
    date's type of the calendar once, as the rules' calculator does."""
    prices = {row.grade: row.unit_price or 0 for row in policy.tables.pay[0].grades}
    work_start, work_end = 9 * 60, 18 * 60
    deduction, day_cap = policy.weekday_deduction_minutes, policy.daily_cap_minutes
    month_cap = policy.monthly_cap_hours
    weekday, saturday, holiday = DayType.WEEKDAY, DayType.SATURDAY, DayType.HOLIDAY
    kinds: dict[date, DayType] = {}
    results: list[tuple[object, ...]] = []
    for month in months:
        records = month.records
        day_types, claimed, recognised = [], [], []
        attended = 0
        for record in records:
            attended += record.clocked_in
            day = record.work_date
            kind = kinds.get(day)
            if kind is None:
                if calendar.is_business_day(day):
                    kind = weekday
                elif day.weekday() == 5 and calendar.holiday_name(day) is None:
                    kind = saturday
                else:
                    kind = holiday
                kinds[day] = kind
            day_types.append(kind)
            order, clock = record.order, record.record
            length = net = 0
            if record.approved and order is not None and clock is not None:
                start, end = max(order.start, clock.start), min(order.end, clock.end)
                if end > start:
                    length = net = end - start
                    if kind is weekday:
                        inside = min(end, work_end) - max(start, work_start)
                        length -= inside if inside > 0 else 0
                        net = length - deduction
                    net = min(max(net, 0), day_cap)
            claimed.append(length)
            recognised.append(net)
        minutes = sum(recognised)
        hours = minutes // 60
        paid = min(hours, month_cap)
        flat = policy.flat_hours if attended >= policy.flat_min_days else 0
        price = prices[records[0].grade]
        results.append(
            (
                tuple(day_types),
                tuple(claimed),
                tuple(recognised),
                minutes,
                hours,
                paid,
                attended,
                flat,
                paid * price,
                flat * price,
            )
        )
    return [result[-2] + result[-1] for result in results]  # type: ignore[operator]


def run_checks(months: Months, calendar: BusinessCalendar, policy: Policy) -> int:
    """Every month's findings (for information: not part of the headline)."""
    calculator, found = MonthCalculator(calendar=calendar, policy=policy), 0
    for month in months:
        result = calculator.result(month)
        found += len(check_month(month.records, result, calendar=calendar, policy=policy))
    return found


def _timed(action: Callable[[], object]) -> tuple[float, object]:
    """CPU seconds of this process (other engineers' jobs share the cores) and the value."""
    started = time.process_time()
    value = action()
    return time.process_time() - started, value


def main() -> None:
    calendar, policy = BusinessCalendar(), Policy()
    months = generate(calendar)  # also loads the calendar's 2025 holidays before any timing
    rows = sum(len(month.records) for month in months)
    print(f"rows: {rows:,} ({STAFF} staff, {len(months):,} person-months, {YEAR})")
    rules_times, inline_times = [], []
    for _ in range(ROUNDS):
        seconds, rules = _timed(lambda: run_rules(months, calendar, policy))
        rules_times.append(seconds)
        seconds, inline = _timed(lambda: run_inline(months, calendar, policy))
        inline_times.append(seconds)
        if rules != inline:
            raise SystemExit("the rules and the inline baseline disagree on an amount")
    checks_seconds, found = _timed(lambda: run_checks(months, calendar, policy))
    rules_s, inline_s = min(rules_times), min(inline_times)
    print(f"{'':<10}{'best s':>9}{'median s':>10}{'rows/s':>12}")
    for name, best, times in (("rules", rules_s, rules_times), ("inline", inline_s, inline_times)):
        print(f"{name:<10}{best:>9.3f}{statistics.median(times):>10.3f}{rows / best:>12,.0f}")
    print(f"rules + checks: {checks_seconds:.3f} s, {found:,} findings (for information)")
    print(f"ratio rules / inline: {rules_s / inline_s:.2f} x")
    print("targets: rules under 1 s, at most 1.50 x the inline baseline")
    print(f"rules_seconds: {rules_s:.3f} s")


if __name__ == "__main__":
    main()
