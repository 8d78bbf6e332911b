"""Business days of a Korean city hall, against dates checked by hand.

Sources for the expected values: 관공서의 공휴일에 관한 규정 and 공휴일에 관한 법률 (which days
are holidays and which get a substitute), the 2025 and 2026 월력요항 (lunar dates: 설날 2025-01-29
and 2026-02-17, 부처님오신날 2025-05-05 and 2026-05-24, 추석 2025-10-06 and 2026-09-25), and the
government's later designations: 임시공휴일 2025-01-27, 대통령 선거일 2025-06-03, 제헌절 restored
as a public holiday from 2026 (공휴일에 관한 법률 amended 2026-02-10) and 노동절 made a public
holiday from 2026-05-01 (amended April 2026). Weekdays were computed, not looked up.

Substitute-holiday rule (공휴일에 관한 법률 제3조, 관공서 규정 제3조): 설날·추석 연휴 get a
substitute only when they overlap a Sunday or another holiday (a Saturday does not count); the
national days (3·1절, 광복절, 개천절, 한글날, and 제헌절, 노동절 from 2026), 어린이날, 부처님오신날
and 기독탄신일 get one when they fall on a Saturday, a Sunday or another holiday. 현충일 and 1월 1일
never get one. The substitute is the first non-holiday after.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest

from civicrpa.core.errors import ConfigurationError
from civicrpa.runtime.calendar import BusinessCalendar

D = date.fromisoformat

#: Every weekday of 2025 on which a city hall is closed, worked out by hand:
#: 1월 1일 (Wed); 임시공휴일 1-27 (Mon) before 설날 연휴 1-28..1-30 (Tue-Thu, no Sunday in it, no
#: substitute); 3·1절 on Sat 3-1 -> substitute Mon 3-3; 어린이날 and 부처님오신날 both on Mon 5-5
#: -> substitute Tue 5-6; 대통령 선거일 Tue 6-3; 현충일 Fri 6-6; 광복절 Fri 8-15; 개천절 Fri 10-3;
#: 추석 연휴 Sun 10-5..Tue 10-7, overlapping a Sunday -> substitute Wed 10-8; 한글날 Thu 10-9;
#: 기독탄신일 Thu 12-25.
CLOSED_WEEKDAYS_2025 = [
    *["2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30"],
    *["2025-03-03", "2025-05-05", "2025-05-06", "2025-06-03", "2025-06-06", "2025-08-15"],
    *["2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08", "2025-10-09", "2025-12-25"],
]

#: Every weekday of 2026 on which a city hall is closed, worked out by hand:
#: 1월 1일 (Thu); 설날 연휴 Mon 2-16..Wed 2-18 (no substitute); 3·1절 on Sun 3-1 -> Mon 3-2;
#: 노동절 Fri 5-1; 어린이날 Tue 5-5; 부처님오신날 on Sun 5-24 -> Mon 5-25; 지방선거일 Wed 6-3
#: (현충일 is Sat 6-6, no substitute); 제헌절 Fri 7-17; 광복절 on Sat 8-15 -> Mon 8-17;
#: 추석 연휴 Thu 9-24..Sat 9-26 (a Saturday: no substitute, so Mon 9-28 is open);
#: 개천절 on Sat 10-3 -> Mon 10-5; 한글날 Fri 10-9; 기독탄신일 Fri 12-25.
CLOSED_WEEKDAYS_2026 = [
    *["2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-03-02", "2026-05-01"],
    *["2026-05-05", "2026-05-25", "2026-06-03", "2026-07-17", "2026-08-17", "2026-09-24"],
    *["2026-09-25", "2026-10-05", "2026-10-09", "2026-12-25"],
]


def _closed_weekdays(calendar: BusinessCalendar, year: int) -> list[str]:
    day, closed = date(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5 and not calendar.is_business_day(day):
            closed.append(day.isoformat())
        day += timedelta(days=1)
    return closed


@pytest.mark.parametrize(
    ("year", "expected"), [(2025, CLOSED_WEEKDAYS_2025), (2026, CLOSED_WEEKDAYS_2026)]
)
def test_closed_weekdays_of_the_year_match_the_hand_checked_list(
    year: int, expected: list[str]
) -> None:
    assert _closed_weekdays(BusinessCalendar(), year) == expected


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        ("2025-10-02", True),  # Thu before the 추석 run
        ("2025-10-03", False),  # Fri, 개천절
        ("2025-10-04", False),  # Sat
        ("2025-10-05", False),  # Sun and 추석 전날
        ("2025-10-08", False),  # Wed, substitute for 추석 전날 on a Sunday
        ("2025-10-09", False),  # Thu, 한글날
        ("2025-10-10", True),  # Fri, first open day after the run
        ("2025-01-24", True),  # Fri before 설날 2025
        ("2025-01-27", False),  # Mon, 임시공휴일
        ("2025-01-31", True),  # Fri after 설날 다음날
        ("2025-03-03", False),  # Mon, substitute for 3·1절 on Saturday
        ("2026-03-02", False),  # Mon, substitute for 3·1절 on Sunday
        ("2026-05-25", False),  # Mon, substitute for 부처님오신날 on Sunday
        ("2026-08-17", False),  # Mon, substitute for 광복절 on Saturday
        ("2026-10-05", False),  # Mon, substitute for 개천절 on Saturday
        ("2026-10-06", True),  # Tue after it
        ("2026-09-26", False),  # Sat, 추석 다음날
        ("2026-09-28", True),  # Mon: a Saturday in the 추석 run earns no substitute
        ("2026-06-08", True),  # Mon: 현충일 on Sat 6-6 earns no substitute
        ("2026-01-02", True),  # Fri after 1월 1일
    ],
)
def test_is_business_day(day: str, open_: bool) -> None:
    assert BusinessCalendar().is_business_day(D(day)) is open_


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("2025-10-06", "추석"),
        ("2025-10-03", "개천절"),
        ("2025-10-09", "한글날"),
        ("2025-01-27", "임시공휴일"),
        ("2026-07-17", "제헌절"),
        ("2026-05-01", "노동절"),
    ],
)
def test_holiday_name_is_the_korean_name(day: str, name: str) -> None:
    assert BusinessCalendar().holiday_name(D(day)) == name


@pytest.mark.parametrize(
    ("day", "part"),
    [
        ("2025-10-08", "추석"),
        ("2025-03-03", "삼일절"),
        ("2026-05-25", "부처님오신날"),
        ("2026-08-17", "광복절"),
    ],
)
def test_substitute_holiday_is_named_after_its_holiday(day: str, part: str) -> None:
    name = BusinessCalendar().holiday_name(D(day))
    assert name is not None
    assert part in name
    assert "대체" in name


@pytest.mark.parametrize("day", ["2025-10-04", "2025-10-10", "2026-09-28", "2025-07-17"])
def test_no_holiday_name_on_a_plain_day_or_weekend(day: str) -> None:
    # 2025-07-17: 제헌절 was not a public holiday before 2026.
    assert BusinessCalendar().holiday_name(D(day)) is None


@pytest.mark.parametrize(
    ("day", "include_self", "expected"),
    [
        ("2025-10-02", False, "2025-10-10"),  # across 개천절, 추석 + substitute, 한글날
        ("2025-10-02", True, "2025-10-02"),  # open itself
        ("2025-10-05", True, "2025-10-10"),  # closed itself
        ("2025-01-24", False, "2025-01-31"),  # across the weekend and 설날 1-27..1-30
        ("2025-02-28", False, "2025-03-04"),  # Sat, Sun, substitute Mon 3-3
        ("2025-12-31", False, "2026-01-02"),  # across the year and 1월 1일
        ("2026-09-23", False, "2026-09-28"),  # 추석 Thu-Sat, Sun, then open Monday
    ],
)
def test_next_business_day(day: str, include_self: bool, expected: str) -> None:
    calendar = BusinessCalendar()
    assert calendar.next_business_day(D(day), include_self=include_self) == D(expected)


@pytest.mark.parametrize(
    ("day", "include_self", "expected"),
    [
        ("2025-10-10", False, "2025-10-02"),
        ("2025-10-10", True, "2025-10-10"),
        ("2025-10-08", True, "2025-10-02"),
        ("2026-01-02", False, "2025-12-31"),
        ("2026-03-03", False, "2026-02-27"),  # Mon 3-2 substitute, weekend
    ],
)
def test_previous_business_day(day: str, include_self: bool, expected: str) -> None:
    calendar = BusinessCalendar()
    assert calendar.previous_business_day(D(day), include_self=include_self) == D(expected)


def test_business_days_of_october_2025() -> None:
    # 23 weekdays minus 10-3, 10-6, 10-7, 10-8, 10-9 = 18.
    days = BusinessCalendar().business_days_of_month(2025, 10)
    expected = ["2025-10-01", "2025-10-02", "2025-10-10"] + [
        f"2025-10-{d:02}" for week in (13, 20, 27) for d in range(week, week + 5)
    ]
    assert [d.isoformat() for d in days] == expected


def test_business_days_of_january_2025() -> None:
    # 23 weekdays minus 1-1, 1-27, 1-28, 1-29, 1-30 = 18; the month ends on Fri 1-31.
    days = BusinessCalendar().business_days_of_month(2025, 1)
    assert len(days) == 18
    assert days[0] == D("2025-01-02")
    assert days[-1] == D("2025-01-31")
    assert D("2025-01-24") in days
    assert D("2025-01-27") not in days


def test_city_extra_holiday_closes_the_hall() -> None:
    calendar = BusinessCalendar(extra_holidays=[D("2025-10-10")])
    assert not calendar.is_business_day(D("2025-10-10"))
    assert calendar.next_business_day(D("2025-10-02")) == D("2025-10-13")
    # The name stays the national one: the city closure is not a national holiday.
    assert calendar.holiday_name(D("2025-10-10")) is None


def test_city_extra_business_day_opens_the_hall() -> None:
    # A city that opens on the 추석 substitute day and on a Saturday.
    calendar = BusinessCalendar(extra_business_days=[D("2025-10-08"), D("2025-10-04")])
    assert calendar.is_business_day(D("2025-10-08"))
    assert calendar.is_business_day(D("2025-10-04"))
    assert calendar.next_business_day(D("2025-10-02")) == D("2025-10-04")
    assert calendar.next_business_day(D("2025-10-04")) == D("2025-10-08")
    name = calendar.holiday_name(D("2025-10-08"))
    assert name is not None
    assert "추석" in name


def test_a_day_cannot_be_both_extra_holiday_and_extra_business_day() -> None:
    with pytest.raises(ConfigurationError) as caught:
        BusinessCalendar(extra_holidays=[D("2025-10-08")], extra_business_days=[D("2025-10-08")])
    assert caught.value.code == "config.invalid"
    assert "2025-10-08" in caught.value.message_ko


def test_no_business_day_in_a_year_is_a_configuration_error() -> None:
    closed = [D("2030-01-01") + timedelta(days=i) for i in range(800)]
    calendar = BusinessCalendar(extra_holidays=closed)
    with pytest.raises(ConfigurationError) as caught:
        calendar.next_business_day(D("2030-01-01"))
    assert caught.value.code == "config.invalid"


def test_holiday_years_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = holidays.country_holidays

    def counting(*args: object, **kwargs: object) -> holidays.HolidayBase:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(holidays, "country_holidays", counting)
    calendar = BusinessCalendar()
    for i in range(5000):
        day = D("2025-01-01") + timedelta(days=i % 730)  # 2025-01-01 .. 2026-12-31
        calendar.is_business_day(day)
        calendar.holiday_name(day)
    assert len(calls) == 2  # 2025 and 2026, once each
