"""Schedule rules against fire times checked by hand.

Every expected time is KST (UTC+9, no daylight saving). The closed days used below, with the
reasoning in ``test_calendar.py``: 2025-01-27..30 (임시공휴일, 설날), 2025-03-01 Sat and its
substitute Mon 03-03, 2025-06-01 Sun, 2025-10-03..09 (개천절, weekend, 추석 10-05..07, substitute
10-08, 한글날), 2025-11-01 Sat, 2026-01-01 Thu, 2026-02-28 Sat, 2026-10-03 Sat and its
substitute Mon 10-05.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from croniter import croniter
from hypothesis import given, settings
from hypothesis import strategies as st

from civicrpa.core.clock import KST
from civicrpa.core.errors import ConfigurationError
from civicrpa.runtime.calendar import BusinessCalendar
from civicrpa.runtime.schedules import (
    CronRule,
    DailyBusinessDayRule,
    MonthlyBusinessDayRule,
    Schedule,
    ScheduleRule,
    describe_ko,
    format_rule,
    next_fire_after,
    parse_rule,
)


def kst(text: str) -> datetime:
    """``"2025-10-10 08:30"`` on the Korean wall clock."""
    return datetime.fromisoformat(text).replace(tzinfo=KST)


def fires(rule: ScheduleRule, after: datetime, count: int, calendar: BusinessCalendar) -> list[str]:
    """The next ``count`` fire times, each asked from the previous one, as KST text."""
    found = []
    for _ in range(count):
        after = next_fire_after(rule, after, calendar)
        assert after.utcoffset() == timedelta(hours=9)
        found.append(after.strftime("%Y-%m-%d %H:%M"))
    return found


CALENDAR = BusinessCalendar()


@pytest.mark.parametrize(
    ("text", "after", "expected"),
    [
        # 추석 2025: Thu 10-02 is the last open day before Fri 10-10.
        ("every-business-day 08:30", "2025-10-02 08:30", "2025-10-10 08:30"),
        ("every-business-day 08:30", "2025-10-02 08:29", "2025-10-02 08:30"),
        ("every-business-day 08:30", "2025-10-06 12:00", "2025-10-10 08:30"),
        # 설날 2025: Fri 01-24, then closed until Fri 01-31.
        ("every-business-day 08:30", "2025-01-24 09:00", "2025-01-31 08:30"),
        # 3·1절 on Saturday: the substitute Monday 03-03 is closed too.
        ("every-business-day 08:30", "2025-02-28 09:00", "2025-03-04 08:30"),
        # 추석 2026 ends on Saturday 09-26 with no substitute: Monday 09-28 is open.
        ("every-business-day 08:30", "2026-09-23 09:00", "2026-09-28 08:30"),
        # Last business day: Sept 2025 ends on Tue 09-30, an ordinary day.
        ("business-day -1 09:00", "2025-09-01 00:00", "2025-09-30 09:00"),
        # Aug 2025 ends on Sun 08-31, so Fri 08-29.
        ("business-day -1 09:00", "2025-08-01 00:00", "2025-08-29 09:00"),
        # Feb 2026 ends on Sat 02-28, so Fri 02-27.
        ("business-day -1 09:00", "2026-02-01 00:00", "2026-02-27 09:00"),
        # Once this month's has passed, next month's: Oct 2025 ends on Fri 10-31.
        ("business-day -1 09:00", "2025-09-30 09:00", "2025-10-31 09:00"),
        # Second to last of Oct 2025: Thu 10-30.
        ("business-day -2 09:00", "2025-10-01 00:00", "2025-10-30 09:00"),
        # First of Jan 2026: Thu 01-01 is 1월 1일, so Fri 01-02.
        ("business-day 1 09:00", "2025-12-01 10:00", "2026-01-02 09:00"),
        # First of Nov 2025: Sat 11-01, Sun 11-02, so Mon 11-03.
        ("business-day 1 09:00", "2025-10-01 09:00", "2025-11-03 09:00"),
        # First of Oct 2025 is Wed 10-01 (국군의 날 is no holiday in 2025).
        ("business-day 1 09:00", "2025-10-01 08:59", "2025-10-01 09:00"),
        # Oct 2025 has only 18 business days: the 19th falls in Nov 2025 (20 business days,
        # Mon-Fri from 11-03): 11-03..07, 10..14, 17..21, then the 19th is Thu 11-27.
        ("business-day 19 09:00", "2025-10-01 00:00", "2025-11-27 09:00"),
        # Plain cron: every day in KST, holidays included.
        ("cron 30 8 * * *", "2025-10-02 08:30", "2025-10-03 08:30"),
        # Business days only, skip: 02-01 and 03-01 are Saturdays, so 04-01 (Tue).
        ("cron 0 9 1 * * business-days", "2025-02-01 00:00", "2025-04-01 09:00"),
        ("cron 0 9 1 * * business-days skip", "2025-02-01 00:00", "2025-04-01 09:00"),
        # next: Sat 02-01 -> Mon 02-03; then Sat 03-01 -> Sun -> Mon 03-03 (substitute)
        # -> Tue 03-04.
        ("cron 0 9 1 * * business-days next", "2025-02-01 00:00", "2025-02-03 09:00"),
        ("cron 0 9 1 * * business-days next", "2025-02-03 09:00", "2025-03-04 09:00"),
        # next: Thu 2026-01-01 -> Fri 01-02.
        ("cron 0 9 1 * * business-days next", "2025-12-01 10:00", "2026-01-02 09:00"),
        # previous: Sat 02-01 -> Fri 01-31, already past; Sat 03-01 -> Fri 02-28.
        ("cron 0 9 1 * * business-days previous", "2025-02-01 00:00", "2025-02-28 09:00"),
        # previous: once Fri 02-28 09:00 has passed, the next is Tue 04-01.
        ("cron 0 9 1 * * business-days previous", "2025-02-28 09:00", "2025-04-01 09:00"),
        # previous: Thu 2026-01-01 -> Wed 2025-12-31.
        ("cron 0 9 1 * * business-days previous", "2025-12-01 10:00", "2025-12-31 09:00"),
    ],
)
def test_next_fire_after(text: str, after: str, expected: str) -> None:
    assert next_fire_after(parse_rule(text), kst(after), CALENDAR) == kst(expected)


def test_after_given_in_utc() -> None:
    rule = DailyBusinessDayRule(at=time(8, 30))
    # 2025-10-01 23:30 UTC is Thu 2025-10-02 08:30 KST: the next fire is Fri 10-10 08:30 KST,
    # that is 2025-10-09 23:30 UTC (a UTC date that is 한글날 in Korea).
    found = next_fire_after(rule, datetime(2025, 10, 1, 23, 30, tzinfo=UTC), CALENDAR)
    assert found == datetime(2025, 10, 9, 23, 30, tzinfo=UTC)
    assert found.tzinfo is KST
    assert (found.year, found.month, found.day, found.hour) == (2025, 10, 10, 8)
    # 2025-10-09 23:00 UTC is already Fri 10-10 08:00 in Korea: the fire is the same morning.
    found = next_fire_after(rule, datetime(2025, 10, 9, 23, 0, tzinfo=UTC), CALENDAR)
    assert found == kst("2025-10-10 08:30")


def test_cron_is_evaluated_on_the_korean_clock() -> None:
    # 2025-10-01 00:00 UTC is 09:00 KST: "0 9 * * *" has just fired, the next is 10-02 09:00
    # KST = 10-02 00:00 UTC (a UTC evaluation would answer 10-01 09:00 UTC).
    found = next_fire_after(CronRule(expr="0 9 * * *"), datetime(2025, 10, 1, tzinfo=UTC), CALENDAR)
    assert found == datetime(2025, 10, 2, 0, 0, tzinfo=UTC)


def test_naive_after_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        next_fire_after(DailyBusinessDayRule(at=time(8, 30)), datetime(2025, 10, 2), CALENDAR)


def test_every_business_day_through_chuseok_2025() -> None:
    rule = parse_rule("every-business-day 08:30")
    assert fires(rule, kst("2025-10-01 12:00"), 4, CALENDAR) == [
        "2025-10-02 08:30",
        "2025-10-10 08:30",
        "2025-10-13 08:30",
        "2025-10-14 08:30",
    ]


def test_moved_cron_times_fire_once() -> None:
    # Daily 09:00, held to business days, moved forward: 10-03..10-09 all land on Fri 10-10
    # 09:00, and Sat 10-11 and Sun 10-12 land on Mon 10-13 09:00 with Monday's own time.
    rule = CronRule(expr="0 9 * * *", business_days_only=True, on_holiday="next")
    assert fires(rule, kst("2025-10-02 09:00"), 3, CALENDAR) == [
        "2025-10-10 09:00",
        "2025-10-13 09:00",
        "2025-10-14 09:00",
    ]


def test_two_cron_days_moved_to_the_same_business_day_fire_once() -> None:
    # 4 and 5 October: Sat and Sun in 2025 (-> past 추석 and 한글날 to Fri 10-10); in 2026 Sun
    # 10-04 and Mon 10-05, the substitute for 개천절 on Saturday (-> Tue 10-06).
    rule = CronRule(expr="0 9 4,5 10 *", business_days_only=True, on_holiday="next")
    assert fires(rule, kst("2025-09-01 00:00"), 3, CALENDAR) == [
        "2025-10-10 09:00",
        "2026-10-06 09:00",
        "2027-10-05 09:00",  # Mon 2027-10-04 is the substitute for 개천절 on Sunday; Tue 10-05
    ]


def test_moved_forward_times_from_before_after_still_fire() -> None:
    # Asked on Sunday 10-05 at noon, in the middle of 추석: the cron times of 10-03..10-05 are in
    # the past but their moved time, Fri 10-10 09:00, is not.
    rule = CronRule(expr="0 9 * * *", business_days_only=True, on_holiday="next")
    assert next_fire_after(rule, kst("2025-10-05 12:00"), CALENDAR) == kst("2025-10-10 09:00")
    # A weekly Saturday job moves to Friday 10-10 across the run, then to Monday 10-13.
    weekly = CronRule(expr="0 10 * * 6", business_days_only=True, on_holiday="next")
    assert fires(weekly, kst("2025-10-03 00:00"), 2, CALENDAR) == [
        "2025-10-10 10:00",
        "2025-10-13 10:00",
    ]
    # Asked on Sunday 10-05, after Saturday's cron time: that time is still due on Fri 10-10.
    assert next_fire_after(weekly, kst("2025-10-05 12:00"), CALENDAR) == kst("2025-10-10 10:00")


def test_moved_backward_times_are_never_in_the_past() -> None:
    # On Thu 10-02 at 10:00, the cron times 10-03..10-09 move back to 10-02 09:00, already
    # passed: the next fire is Fri 10-10 09:00, and only once.
    rule = CronRule(expr="0 9 * * *", business_days_only=True, on_holiday="previous")
    assert fires(rule, kst("2025-10-02 10:00"), 2, CALENDAR) == [
        "2025-10-10 09:00",
        "2025-10-13 09:00",
    ]
    # Before 09:00 on 10-02 they all land on 10-02 09:00: one fire.
    assert fires(rule, kst("2025-10-02 08:00"), 2, CALENDAR) == [
        "2025-10-02 09:00",
        "2025-10-10 09:00",
    ]


def test_monthly_first_of_month_cron_policies_over_a_year() -> None:
    after = kst("2025-01-01 00:00")
    # 1st of each month 2025: Wed 01-01 holiday, Sat 02-01, Sat 03-01, Sun 06-01, Sat 11-01
    # are closed; the others are open weekdays (Tue 04-01, Thu 05-01, Tue 07-01, Fri 08-01,
    # Mon 09-01, Wed 10-01, Mon 12-01).
    skip = parse_rule("cron 0 9 1 * * business-days skip")
    assert fires(skip, after, 7, CALENDAR) == [
        f"2025-{m:02}-01 09:00" for m in (4, 5, 7, 8, 9, 10, 12)
    ]
    forward = parse_rule("cron 0 9 1 * * business-days next")
    assert fires(forward, after, 6, CALENDAR) == [
        "2025-01-02 09:00",  # Thu
        "2025-02-03 09:00",  # Sat, Sun -> Mon
        "2025-03-04 09:00",  # Sat, Sun, substitute Mon -> Tue
        "2025-04-01 09:00",
        "2025-05-01 09:00",  # 근로자의 날 was not a public holiday before 2026
        "2025-06-02 09:00",  # Sun -> Mon
    ]
    backward = parse_rule("cron 0 9 1 * * business-days previous")
    assert fires(backward, after, 5, CALENDAR) == [
        "2025-01-31 09:00",  # Sat 02-01 -> Fri 01-31
        "2025-02-28 09:00",  # Sat 03-01 -> Fri 02-28
        "2025-04-01 09:00",
        "2025-05-01 09:00",
        "2025-05-30 09:00",  # Sun 06-01 -> Sat -> Fri 05-30
    ]


def test_may_first_2026_is_labour_day() -> None:
    # 노동절 became a public holiday in 2026: Fri 05-01 is closed, so the "next" policy lands
    # on Mon 05-04 (Tue 05-05 is 어린이날).
    rule = parse_rule("cron 0 9 1 * * business-days next")
    assert next_fire_after(rule, kst("2026-04-15 00:00"), CALENDAR) == kst("2026-05-04 09:00")


def test_city_extra_days_move_fires() -> None:
    closed_friday = BusinessCalendar(extra_holidays=[date(2025, 10, 10)])
    rule = DailyBusinessDayRule(at=time(8, 30))
    assert next_fire_after(rule, kst("2025-10-02 08:30"), closed_friday) == kst("2025-10-13 08:30")
    open_substitute = BusinessCalendar(extra_business_days=[date(2025, 10, 8)])
    assert next_fire_after(rule, kst("2025-10-02 08:30"), open_substitute) == kst(
        "2025-10-08 08:30"
    )
    # Last business day of Sept 2025 when the city closes on Tue 09-30: Mon 09-29.
    closed_end = BusinessCalendar(extra_holidays=[date(2025, 9, 30)])
    last = MonthlyBusinessDayRule(n=-1, at=time(9))
    assert next_fire_after(last, kst("2025-09-01 00:00"), closed_end) == kst("2025-09-29 09:00")


@pytest.mark.parametrize(
    "rule",
    [
        CronRule(expr="0 9 30 2 *"),  # 30 February never comes
        CronRule(expr="0 9 * * 6", business_days_only=True),  # Saturdays are always closed
    ],
)
def test_a_rule_that_never_fires_is_refused(rule: ScheduleRule) -> None:
    with pytest.raises(ConfigurationError) as caught:
        next_fire_after(rule, kst("2025-01-01 00:00"), CALENDAR)
    assert caught.value.code == "schedule.invalid_rule"
    assert caught.value.params == {"text": format_rule(rule)}


def test_a_calendar_without_business_days_is_refused() -> None:
    start = date(2025, 1, 1)
    closed = BusinessCalendar(extra_holidays=[start + timedelta(days=i) for i in range(6 * 366)])
    for rule in (DailyBusinessDayRule(at=time(9)), MonthlyBusinessDayRule(n=1, at=time(9))):
        with pytest.raises(ConfigurationError) as caught:
            next_fire_after(rule, kst("2025-01-01 00:00"), closed)
        assert caught.value.code == "schedule.invalid_rule"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("cron 30 8 * * *", CronRule(expr="30 8 * * *")),
        (
            "cron 0 9 1 * * business-days next",
            CronRule(expr="0 9 1 * *", business_days_only=True, on_holiday="next"),
        ),
        (
            "cron 0 9 1 * * business-days",
            CronRule(expr="0 9 1 * *", business_days_only=True, on_holiday="skip"),
        ),
        (
            "  CRON  0 9 1 * *   Business-Days  Previous ",
            CronRule(expr="0 9 1 * *", business_days_only=True, on_holiday="previous"),
        ),
        ("business-day 1 09:00", MonthlyBusinessDayRule(n=1, at=time(9))),
        ("business-day -1 09:00", MonthlyBusinessDayRule(n=-1, at=time(9))),
        ("business-day -2 9:05", MonthlyBusinessDayRule(n=-2, at=time(9, 5))),
        ("every-business-day 08:30", DailyBusinessDayRule(at=time(8, 30))),
        ("every-business-day 08:30:15", DailyBusinessDayRule(at=time(8, 30, 15))),
    ],
)
def test_parse_rule(text: str, rule: ScheduleRule) -> None:
    assert parse_rule(text) == rule
    assert parse_rule(format_rule(rule)) == rule


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hourly",
        "cron 0 9 1 * * business-days sometimes",
        "cron 0 9 1 * * business-days next previous",
        "business-day 0 09:00",
        "business-day 24 09:00",
        "business-day first 09:00",
        "business-day 1 25:00",
        "business-day 1 09:60",
        "business-day 1 9",
        "business-day 1",
        "every-business-day",
        "every-business-day 8.30",
        "every-business-day 08:30:60",
        "every-business-day 08:30 09:30",
    ],
)
def test_parse_rule_refuses_bad_text(text: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_rule(text)
    assert caught.value.code == "schedule.invalid_rule"
    assert caught.value.params == {"text": text}
    assert caught.value.message_ko == f"일정 규칙을 이해할 수 없습니다: {text}"


@pytest.mark.parametrize(
    ("text", "expr"),
    [
        ("cron 0 9 * *", "0 9 * *"),  # four fields
        ("cron 0 0 9 * * *", "0 0 9 * * *"),  # six fields (seconds) are not accepted
        ("cron 61 8 * * *", "61 8 * * *"),
        ("cron 0 9 * * 8 business-days next", "0 9 * * 8"),
        ("cron @daily", "@daily"),
        ("cron", ""),
    ],
)
def test_parse_rule_refuses_bad_cron(text: str, expr: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_rule(text)
    assert caught.value.code == "schedule.invalid_cron"
    assert caught.value.params == {"expr": expr}


@pytest.mark.parametrize(
    "make",
    [
        lambda: MonthlyBusinessDayRule(n=0, at=time(9)),
        lambda: MonthlyBusinessDayRule(n=-24, at=time(9)),
        lambda: MonthlyBusinessDayRule(n=1, at=time(9, tzinfo=UTC)),
        lambda: DailyBusinessDayRule(at=time(9, tzinfo=KST)),
        lambda: CronRule(expr="0 9 * * *", on_holiday="never"),  # type: ignore[arg-type]
    ],
)
def test_rules_refuse_bad_values(make: object) -> None:
    assert callable(make)
    with pytest.raises(ConfigurationError) as caught:
        make()
    assert caught.value.code == "schedule.invalid_rule"


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (DailyBusinessDayRule(at=time(8, 30)), "매 영업일 08:30"),
        (MonthlyBusinessDayRule(n=-1, at=time(9)), "매월 마지막 영업일 09:00"),
        (MonthlyBusinessDayRule(n=1, at=time(9)), "매월 첫째 영업일 09:00"),
        (MonthlyBusinessDayRule(n=-2, at=time(9)), "매월 끝에서 둘째 영업일 09:00"),
        (MonthlyBusinessDayRule(n=3, at=time(18)), "매월 셋째 영업일 18:00"),
        (MonthlyBusinessDayRule(n=11, at=time(9)), "매월 열한째 영업일 09:00"),
        (MonthlyBusinessDayRule(n=20, at=time(9)), "매월 스무째 영업일 09:00"),
        (MonthlyBusinessDayRule(n=-23, at=time(9)), "매월 끝에서 스물셋째 영업일 09:00"),
        (DailyBusinessDayRule(at=time(8, 30, 15)), "매 영업일 08:30:15"),
        (CronRule(expr="30 8 * * *"), "반복 일정 '30 8 * * *'"),
        (
            CronRule(expr="30 8 * * *", business_days_only=True, on_holiday="next"),
            "반복 일정 '30 8 * * *' (영업일만, 휴일이면 다음 영업일)",
        ),
        (
            CronRule(expr="30 8 * * *", business_days_only=True, on_holiday="previous"),
            "반복 일정 '30 8 * * *' (영업일만, 휴일이면 이전 영업일)",
        ),
        (
            CronRule(expr="30 8 * * *", business_days_only=True),
            "반복 일정 '30 8 * * *' (영업일만, 휴일이면 건너뜀)",
        ),
    ],
)
def test_describe_ko(rule: ScheduleRule, text: str) -> None:
    assert describe_ko(rule) == text


def test_schedule_is_a_frozen_keyword_only_value() -> None:
    schedule = Schedule(
        name="monthly-report", process="meal_allowance", rule=parse_rule("business-day -1 09:00")
    )
    assert schedule.description_ko is None
    assert describe_ko(schedule.rule) == "매월 마지막 영업일 09:00"
    with pytest.raises(AttributeError):
        schedule.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Schedule("a", "b", DailyBusinessDayRule(at=time(9)))  # type: ignore[call-arg]


def _reference_next(rule: CronRule, after: datetime, calendar: BusinessCalendar) -> datetime:
    """Brute force: every cron time from 40 days before to 80 days after, moved, as a set."""
    cron = croniter(rule.expr, after - timedelta(days=40))
    moved: set[datetime] = set()
    while (fire := cron.get_next(datetime)) < after + timedelta(days=80):
        day = fire.date()
        if not rule.business_days_only or calendar.is_business_day(day):
            moved.add(fire)
        elif rule.on_holiday == "next":
            moved.add(datetime.combine(calendar.next_business_day(day), fire.timetz()))
        elif rule.on_holiday == "previous":
            moved.add(datetime.combine(calendar.previous_business_day(day), fire.timetz()))
    return min(m for m in moved if m > after)


@settings(database=None, max_examples=150, deadline=None)
@given(
    minute=st.sampled_from(["0", "30", "0,45"]),
    hour=st.sampled_from(["9", "8,17", "0", "23"]),
    days=st.sampled_from(["* * *", "1 * *", "4,5 * *", "* * 6", "* * 0,6", "* * 1-5", "L * *"]),
    policy=st.sampled_from(["next", "previous"]),
    after=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 1), timezones=st.just(KST)
    ),
)
def test_cron_rule_matches_brute_force(
    minute: str, hour: str, days: str, policy: str, after: datetime
) -> None:
    # The fire times form one set whatever ``after`` is: the next fire is its least member
    # after ``after``. Checked against the whole moved set over a window around ``after``
    # (every expression here fires at least monthly, and a move spans at most ~10 days).
    rule = CronRule(expr=f"{minute} {hour} {days}", business_days_only=True, on_holiday=policy)  # type: ignore[arg-type]
    assert next_fire_after(rule, after, CALENDAR) == _reference_next(rule, after, CALENDAR)
