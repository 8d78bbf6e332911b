"""초과근무수당: hourly rate, recognised minutes per day, the month's hours, the amount.

Source of the expected values: ``shared/domain/overtime.md`` worked examples 1-9 (formula V1 for
local staff; deduction, caps and monthly summing V1 national, U local; order and rounding U).
Weekday overtime counts from 18:00. Dates: 2024-07-10 is a Wednesday, 2024-07-13 a Saturday.
"""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicrpa.core.errors import InputRejected
from civicrpa.processes.overtime_pay import (
    DEFAULT_TABLES,
    DayRecord,
    DayType,
    GradePay,
    MinuteSumming,
    PayRow,
    Policy,
    RateDay,
    Recognition,
    Span,
    Tables,
    amount,
    claimed_minutes,
    day_counter,
    day_type,
    hourly_rate,
    month_hours,
    month_result,
    recognised_minutes,
    unit_price,
)
from civicrpa.runtime.calendar import BusinessCalendar

D = date.fromisoformat
POLICY = Policy()
CALENDAR = BusinessCalendar()
NORMAL = Span(9 * 60, 18 * 60)
WEDNESDAY, SATURDAY = D("2024-07-10"), D("2024-07-13")
#: A pay table whose 6급 is priced by the formula from a 2,500,000 won reference pay.
FORMULA_TABLES = Tables(
    pay=(PayRow(valid_from=date.min, grades=(GradePay(grade="6급", base_pay=2_500_000),)),)
)


def _m(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _span(start: str, end: str) -> Span:
    return Span(_m(start), _m(end))


def _day(day: date, start: str, end: str, *, clock_in: str = "", grade: str = "6급") -> DayRecord:
    """A day whose approved order and clock record both run ``start``-``end`` (the example's
    overtime), the record starting at ``clock_in`` when given (a weekday's 09:00 arrival)."""
    return DayRecord(
        staff_no="E00001",
        name="김민수",
        department="총무과",
        grade=grade,
        work_date=day,
        order=_span(start, end),
        approved=True,
        record=_span(clock_in or start, end),
        clocked_in=True,
    )


@pytest.mark.parametrize(
    ("base_pay", "percent", "hourly"),
    [
        # Worked example 1: 2,500,000 x 0.55 / 209 x 1.5 = 9,868.42 -> 9,868 (원 미만 절사, U).
        (2_500_000, 55, 9_868),
        # Worked example 2: 9급 at 60 %: 2,400,000 x 0.60 / 209 x 1.5 = 10,334.93 -> 10,334.
        (2_400_000, 60, 10_334),
    ],
)
def test_hourly_rate(base_pay: int, percent: int, hourly: int) -> None:
    assert hourly_rate(base_pay, percent) == hourly


@pytest.mark.parametrize(
    ("day", "start", "end", "expected"),
    [
        # Worked example 3: weekday 18:00-21:30 = 210 min, less 60 = 150.
        (WEDNESDAY, "18:00", "21:30", 150),
        # Worked example 4: weekday 18:00-23:00 = 300, less 60 = 240, cap 240 -> 240.
        (WEDNESDAY, "18:00", "23:00", 240),
        # Worked example 5: weekday 18:00-18:50 = 50, less 60 < 0 -> 0.
        (WEDNESDAY, "18:00", "18:50", 0),
        # Worked example 6: Saturday 09:00-15:00 = 360, no deduction, cap -> 240.
        (SATURDAY, "09:00", "15:00", 240),
    ],
)
def test_recognised_minutes_of_a_day(day: date, start: str, end: str, expected: int) -> None:
    record = _day(day, start, end, clock_in="09:00" if day == WEDNESDAY else "")
    kind = day_type(day, CALENDAR)
    claimed = claimed_minutes(kind, record.approved_order, record.record, NORMAL, POLICY)
    assert recognised_minutes(kind, claimed, POLICY) == expected


def test_the_month_of_examples_3_to_6() -> None:
    # Worked example 7: 150 + 240 + 0 + 240 = 630 min -> 10 h (the 30 min remainder dropped).
    records = [
        _day(D("2024-07-10"), "18:00", "21:30", clock_in="08:50"),
        _day(D("2024-07-11"), "18:00", "23:00", clock_in="08:50"),
        _day(D("2024-07-12"), "18:00", "18:50", clock_in="08:50"),
        _day(D("2024-07-13"), "09:00", "15:00"),
    ]
    result = month_result(records, calendar=CALENDAR, policy=Policy(tables=FORMULA_TABLES))
    assert [line.recognised for line in result.lines] == [150, 240, 0, 240]
    assert (result.recognised_minutes, result.hours.hours, result.paid_hours) == (630, 10, 10)
    # Worked example 9 on top: 10 h x 9,868 (the example 1 rate) = 98,680; 4 days attended,
    # under the 15 of the 정액분 (U), so no flat hours.
    assert (result.price.amount, result.flat_hours) == (9_868, 0)
    assert result.amount == result.overtime_amount == 98_680


def test_examples_7_and_8_as_minutes() -> None:
    # Worked example 7 from the day minutes alone: 630 min -> 10 h.
    assert month_hours([150, 240, 0, 240], POLICY).hours == 10
    # Worked example 8: 3,500 min = 58.3 h -> floor 58 -> cap 57.
    hours = month_hours([3_500], POLICY)
    assert (hours.minutes, hours.hours, hours.paid_hours) == (3_500, 58, 57)


def test_the_amount_of_example_9() -> None:
    # Worked example 9: 10 h x 9,868 = 98,680.
    assert amount(10, 9_868) == 98_680
    # 십원 미만 절사 when a city chooses it (won_unit 10, U): 98,680 is already round.
    assert amount(3, 9_868, won_unit=10) == 29_600  # 29,604 -> 29,600


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        ("2024-07-10", DayType.WEEKDAY),
        ("2024-07-13", DayType.SATURDAY),
        ("2024-07-14", DayType.HOLIDAY),  # Sunday
        ("2024-05-06", DayType.HOLIDAY),  # 어린이날 대체 휴일 (Monday)
        ("2025-10-08", DayType.HOLIDAY),  # 추석 대체 휴일 (Wednesday)
        ("2025-03-01", DayType.HOLIDAY),  # 삼일절 on a Saturday
        ("2024-04-10", DayType.HOLIDAY),  # 국회의원 선거일 (Wednesday)
    ],
)
def test_day_types_come_from_the_korean_calendar(day: str, kind: DayType) -> None:
    assert day_type(D(day), CALENDAR) is kind


def test_a_local_holiday_gets_no_deduction() -> None:
    local = BusinessCalendar(extra_holidays=[WEDNESDAY])  # 지방공휴일 or a city closure
    record = _day(WEDNESDAY, "18:00", "21:30", clock_in="09:00")
    kind = day_type(WEDNESDAY, local)
    claimed = claimed_minutes(kind, record.approved_order, record.record, NORMAL, POLICY)
    # A holiday: the whole overlap 18:00-21:30 counts, no hour off: 210 -> cap 240 -> 210.
    assert (kind, recognised_minutes(kind, claimed, POLICY)) == (DayType.HOLIDAY, 210)


def test_only_the_overlap_of_order_and_record_counts() -> None:
    order, record = _span("18:00", "22:00"), _span("08:55", "20:30")
    kind = DayType.WEEKDAY
    # Overlap 18:00-20:30 = 150 min (the order's last 90 min were not worked); less 60 = 90.
    assert claimed_minutes(kind, order, record, NORMAL, POLICY) == 150
    assert claimed_minutes(kind, None, record, NORMAL, POLICY) == 0  # no approved order
    # Recognition.RECORD (U): the record outside normal hours counts, 18:00-20:30 as well.
    whole = Policy(recognition=Recognition.RECORD)
    assert claimed_minutes(kind, order, _span("07:30", "20:30"), NORMAL, whole) == 90 + 150


def test_an_order_past_midnight_counts_on_the_work_day() -> None:
    # 22:00 to 01:00 the next day: 180 min, less 60 = 120.
    order = Span(_m("22:00"), _m("01:00") + 1440)
    record = Span(_m("09:00"), _m("01:30") + 1440)
    claimed = claimed_minutes(DayType.WEEKDAY, order, record, NORMAL, POLICY)
    assert recognised_minutes(DayType.WEEKDAY, claimed, POLICY) == 120


def test_the_order_of_steps_is_a_choice() -> None:
    # Example 4 (300 min on a weekday) with cap-then-deduct (U): min(300, 240) - 60 = 180.
    capped_first = Policy(deduct_before_daily_cap=False)
    assert recognised_minutes(DayType.WEEKDAY, 300, capped_first) == 180
    assert recognised_minutes(DayType.WEEKDAY, 300, POLICY) == 240


def test_dropping_the_remainder_day_by_day_is_a_choice() -> None:
    # Example 7's days: 150 -> 2 h, 240 -> 4 h, 0, 240 -> 4 h: 10 h either way here, but
    # 90 + 90 min are 3 h by the month and 2 h day by day.
    assert month_hours([90, 90], POLICY).hours == 3
    assert month_hours([90, 90], Policy(minute_summing=MinuteSumming.DAY)).hours == 2


def test_the_2025_unit_prices_are_the_published_ones() -> None:
    prices = {g: unit_price(g, D("2025-07-01"), POLICY).amount for g in ("5급", "6급", "9급")}
    assert prices == {"5급": 15_510, "6급": 13_229, "9급": 10_579}
    assert unit_price("7급", D("2025-12-31"), POLICY).published


def test_a_grade_without_a_price_is_refused_in_korean() -> None:
    with pytest.raises(InputRejected) as caught:
        unit_price("6급", D("2024-07-01"), POLICY)  # no built-in 2024 table (U)
    assert caught.value.code == "overtime.no_table_row"
    with pytest.raises(InputRejected) as caught:
        unit_price("연구사", D("2025-07-01"), POLICY)
    assert caught.value.code == "overtime.no_rate_for_grade"
    assert "연구사의 시간외근무수당 단가가 없습니다" in caught.value.message_ko


def test_9th_grade_uses_60_percent_from_2025_01_03() -> None:
    """The national 60 % for 9급 is in force from 2025-01-03, but a month is paid at one rate.

    Ambiguous for January 2025: the rows are looked up on the month's first day by default
    (``RateDay.FIRST_DAY``, U), so January is paid at 55 % from a reference pay and at 60 %
    with ``RateDay.LAST_DAY``. The published 2025 unit prices, used when a pay row has them,
    already hold the 60 %, so the built-in tables are not affected.
    """
    pay = PayRow(valid_from=date.min, grades=(GradePay(grade="9급", base_pay=2_400_000),))
    policy = Policy(tables=Tables(pay=(pay,)))
    # December 2024: 55 %, 2,400,000 x 0.55 / 209 x 1.5 = 9,473.68 -> 9,473.
    assert unit_price("9급", D("2024-12-01"), policy).amount == 9_473
    # February 2025: 60 % (worked example 2): 10,334.
    assert unit_price("9급", D("2025-02-01"), policy).amount == 10_334
    assert unit_price("9급", D("2025-01-01"), policy).amount == 9_473
    last_day = Policy(tables=policy.tables, rate_day=RateDay.LAST_DAY)
    assert unit_price("9급", D("2025-01-01"), last_day).amount == 10_334


# -- properties -------------------------------------------------------------------------------

_kinds = st.sampled_from(list(DayType))
_minutes = st.integers(min_value=0, max_value=2 * 1440)
_policies = st.builds(
    Policy,
    weekday_deduction_minutes=st.integers(0, 120),
    daily_cap_minutes=st.integers(0, 600),
    monthly_cap_hours=st.integers(0, 100),
    deduct_before_daily_cap=st.booleans(),
    minute_summing=st.sampled_from(list(MinuteSumming)),
)


@given(_kinds, _minutes, _policies)
def test_a_day_never_exceeds_its_cap_nor_goes_negative(
    kind: DayType, claimed: int, policy: Policy
) -> None:
    assert 0 <= recognised_minutes(kind, claimed, policy) <= policy.daily_cap_minutes


@given(st.sampled_from([DayType.SATURDAY, DayType.HOLIDAY]), _minutes, _policies)
def test_a_saturday_or_holiday_never_gets_the_weekday_deduction(
    kind: DayType, claimed: int, policy: Policy
) -> None:
    assert recognised_minutes(kind, claimed, policy) == min(claimed, policy.daily_cap_minutes)


@settings(max_examples=60)
@given(st.dates(min_value=D("2020-01-01"), max_value=D("2027-12-31")))
def test_a_closed_day_is_never_a_weekday(day: date) -> None:
    if not CALENDAR.is_business_day(day):
        assert day_type(day, CALENDAR) is not DayType.WEEKDAY


@given(st.lists(st.integers(0, 240), max_size=31), _policies)
def test_the_month_never_exceeds_its_cap(days: list[int], policy: Policy) -> None:
    hours = month_hours(days, policy)
    assert hours.minutes == sum(days)
    assert 0 <= hours.paid_hours <= policy.monthly_cap_hours
    assert hours.paid_hours <= hours.hours <= hours.minutes // 60


_times = st.integers(min_value=0, max_value=1439)


@st.composite
def _months(draw: st.DrawFn) -> list[DayRecord]:
    """Up to 31 days of August 2025 (weekdays, Saturdays, Sundays, 광복절) of one person."""
    grade = draw(st.sampled_from(["5급", "9급"]))
    records = []
    for number in sorted(draw(st.sets(st.integers(1, 31), min_size=1, max_size=31))):
        start, order_start = draw(_times), draw(_times)
        records.append(
            DayRecord(
                staff_no="E00001",
                name="김민수",
                department="총무과",
                grade=grade,
                work_date=date(2025, 8, number),
                order=Span(order_start, order_start + draw(st.integers(1, 1000))),
                approved=draw(st.booleans()),
                record=Span(start, start + draw(st.integers(1, 1000))),
                clocked_in=True,
            )
        )
    return records


@settings(max_examples=80)
@given(_months(), _policies)
def test_a_month_is_the_sum_of_its_days_and_never_negative(
    records: list[DayRecord], policy: Policy
) -> None:
    result = month_result(records, calendar=CALENDAR, policy=policy)
    assert result.recognised_minutes == sum(line.recognised for line in result.lines)
    assert all(0 <= line.recognised <= policy.daily_cap_minutes for line in result.lines)
    assert 0 <= result.paid_hours <= policy.monthly_cap_hours
    assert result.amount == result.overtime_amount + result.flat_amount >= 0
    assert result.overtime_amount == result.paid_hours * result.price.amount
    for line in result.lines:
        if line.day_type is not DayType.WEEKDAY:
            assert line.recognised == min(line.claimed, policy.daily_cap_minutes)


@given(_months(), _policies, st.sampled_from(list(Recognition)))
def test_the_fused_day_counter_equals_the_two_steps(
    records: list[DayRecord], policy: Policy, recognition: Recognition
) -> None:
    policy = Policy(
        weekday_deduction_minutes=policy.weekday_deduction_minutes,
        daily_cap_minutes=policy.daily_cap_minutes,
        deduct_before_daily_cap=policy.deduct_before_daily_cap,
        recognition=recognition,
    )
    count = day_counter(policy, NORMAL)
    for record in records:
        kind = day_type(record.work_date, CALENDAR)
        claimed = claimed_minutes(kind, record.approved_order, record.record, NORMAL, policy)
        assert count(kind, record) == (claimed, recognised_minutes(kind, claimed, policy))


_MONTHS = [date(year, month, 1) for year in (2025, 2026) for month in range(1, 13)]


@given(st.sampled_from(_MONTHS[1:]), st.sampled_from(_MONTHS[1:]), st.sampled_from([1, 15]))
def test_moving_a_rows_valid_from_moves_exactly_the_months_between(
    old: date, new: date, day: int
) -> None:
    def tables(start: date) -> Tables:
        return Tables(
            pay=(
                PayRow(
                    valid_from=D("2025-01-01"), grades=(GradePay(grade="6급", unit_price=13_229),)
                ),
                PayRow(
                    valid_from=start.replace(day=day),
                    grades=(GradePay(grade="6급", unit_price=14_000),),
                ),
            )
        )

    before, after = Policy(tables=tables(old)), Policy(tables=tables(new))
    low, high = sorted((old.replace(day=day), new.replace(day=day)))
    for month in _MONTHS:
        moved = unit_price("6급", month, before).amount != unit_price("6급", month, after).amount
        # A month is priced on its first day: it moves when that day lies between the dates.
        assert moved == (low <= month < high)


def test_the_built_in_tables_name_their_regulations() -> None:
    assert "지방공무원 수당 등에 관한 규정" in DEFAULT_TABLES.formula_on(D("2024-01-01")).regulation
    assert DEFAULT_TABLES.working_day_on(D("2024-01-01")).start == time(9)
