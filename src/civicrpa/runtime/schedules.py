"""When a process runs by itself, in Korean business time.

City halls plan work by the office calendar, not the raw clock: "every business day at 08:30",
"the first business day of the month", "the 1st, or the next business day if it is a holiday".
Cron alone cannot say that, so a rule here is either a cron expression evaluated in Asia/Seoul
(optionally held to business days) or a business-day rule, and :func:`next_fire_after` turns it
into the next aware datetime. A rule is also written as short text (:func:`parse_rule`), so a city
configures schedules in its settings, and read back in Korean (:func:`describe_ko`).

The fire times of a rule form one fixed set, whatever moment one starts from: asking again from
the last fire never repeats it, and a time moved off a holiday fires once even when several cron
times land on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, TypeAlias

from croniter import croniter

from civicrpa.core.clock import KST, to_kst
from civicrpa.core.errors import ConfigurationError
from civicrpa.runtime.calendar import BusinessCalendar

#: What a business-days-only cron rule does with a time on a closed day.
HolidayPolicy: TypeAlias = Literal["skip", "next", "previous"]

#: Beyond this horizon a rule is considered never to fire.
_HORIZON = timedelta(days=5 * 366)
#: The most business days a month can have (31 days, at most 8 weekend days).
_MAX_BUSINESS_DAYS = 23
_POLICY_NAMES: dict[str, HolidayPolicy] = {"skip": "skip", "next": "next", "previous": "previous"}
_POLICY_KO = {
    "skip": "휴일이면 건너뜀",
    "next": "휴일이면 다음 영업일",
    "previous": "휴일이면 이전 영업일",
}
_UNITS_KO = ("셋", "넷", "다섯", "여섯", "일곱", "여덟", "아홉")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def _invalid(rule: ScheduleRule) -> ConfigurationError:
    return ConfigurationError("schedule.invalid_rule", {"text": format_rule(rule)})


@dataclass(frozen=True, kw_only=True)
class CronRule:
    """A 5-field cron expression on the Korean wall clock, optionally held to business days."""

    expr: str
    business_days_only: bool = False
    on_holiday: HolidayPolicy = "skip"

    def __post_init__(self) -> None:
        if len(self.expr.split()) != 5 or not croniter.is_valid(self.expr):
            raise ConfigurationError("schedule.invalid_cron", {"expr": self.expr})
        if self.on_holiday not in _POLICY_NAMES:
            raise _invalid(self)


@dataclass(frozen=True, kw_only=True)
class MonthlyBusinessDayRule:
    """The ``n``-th business day of every month (1 first, -1 last, -2 second to last)."""

    n: int
    at: time

    def __post_init__(self) -> None:
        # The wall clock is always KST: an ``at`` with its own zone would be ambiguous.
        if self.n == 0 or abs(self.n) > _MAX_BUSINESS_DAYS or self.at.tzinfo is not None:
            raise _invalid(self)


@dataclass(frozen=True, kw_only=True)
class DailyBusinessDayRule:
    """Every business day at ``at``."""

    at: time

    def __post_init__(self) -> None:
        if self.at.tzinfo is not None:  # the wall clock is always KST
            raise _invalid(self)


#: Any rule :func:`next_fire_after` understands.
ScheduleRule: TypeAlias = CronRule | MonthlyBusinessDayRule | DailyBusinessDayRule


@dataclass(frozen=True, kw_only=True)
class Schedule:
    """A named schedule that starts ``process`` by ``rule``.

    ``description_ko``, when set, replaces the generated :func:`describe_ko` text.
    """

    name: str
    process: str
    rule: ScheduleRule
    description_ko: str | None = None


def next_fire_after(rule: ScheduleRule, after: datetime, calendar: BusinessCalendar) -> datetime:
    """The first fire time strictly after ``after`` (aware, any zone), as a KST datetime.

    Raises :class:`ConfigurationError` ``schedule.invalid_rule`` when the rule does not fire
    within five years (``0 9 30 2 *``, or a business-day rule on a calendar with none).
    """
    start = to_kst(after)
    limit = start + _HORIZON
    if isinstance(rule, CronRule):
        found = _next_cron(rule, start, limit, calendar)
    elif isinstance(rule, DailyBusinessDayRule):
        found = _next_daily(rule, start, limit, calendar)
    else:
        found = _next_monthly(rule, start, limit, calendar)
    if found is None:
        raise _invalid(rule)
    return found


def _at(day: date, at: time) -> datetime:
    return datetime.combine(day, at.replace(tzinfo=KST))


def _next_daily(
    rule: DailyBusinessDayRule, start: datetime, limit: datetime, calendar: BusinessCalendar
) -> datetime | None:
    day = start.date()
    while (fire := _at(day, rule.at)) <= limit:
        if fire > start and calendar.is_business_day(day):
            return fire
        day += timedelta(days=1)
    return None


def _next_monthly(
    rule: MonthlyBusinessDayRule, start: datetime, limit: datetime, calendar: BusinessCalendar
) -> datetime | None:
    year, month = start.year, start.month
    while date(year, month, 1) <= limit.date():
        days = calendar.business_days_of_month(year, month)
        index = rule.n - 1 if rule.n > 0 else rule.n
        if -len(days) <= index < len(days) and (fire := _at(days[index], rule.at)) > start:
            return fire
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _next_cron(
    rule: CronRule, start: datetime, limit: datetime, calendar: BusinessCalendar
) -> datetime | None:
    begin = start
    if rule.business_days_only and rule.on_holiday == "next":
        # A time on a closed day moves forward to the next business day, so any cron time
        # after the last business day before ``start`` may land after ``start``.
        origin = calendar.previous_business_day(start.date()) + timedelta(days=1)
        begin = datetime.combine(origin, time(tzinfo=KST)) - timedelta(microseconds=1)
    # Every day of a 5-field cron has the same clock times, so the first moved time after
    # ``start`` is the earliest: an earlier one would come from the same clock time on an
    # earlier cron day, met first. Equal moved times are one fire: only the first is after.
    for fire in _cron_times(rule, begin, limit):
        moved = _move(rule, fire, calendar)
        if moved is not None and moved > start:
            return moved
    return None


def _move(rule: CronRule, fire: datetime, calendar: BusinessCalendar) -> datetime | None:
    """Where the cron time ``fire`` lands under the rule's holiday policy (``None``: skipped)."""
    day = fire.date()
    if not rule.business_days_only or calendar.is_business_day(day):
        return fire
    if rule.on_holiday == "next":
        return _at(calendar.next_business_day(day), fire.timetz())
    if rule.on_holiday == "previous":
        return _at(calendar.previous_business_day(day), fire.timetz())
    return None


def _cron_times(rule: CronRule, begin: datetime, limit: datetime) -> Iterator[datetime]:
    """Cron times strictly after ``begin`` up to ``limit``, in KST."""
    try:
        cron = croniter(rule.expr, begin)
    except (ValueError, KeyError) as exc:
        raise ConfigurationError("schedule.invalid_cron", {"expr": rule.expr}) from exc
    while True:
        try:
            fire: datetime = cron.get_next(datetime)
        except ValueError:  # CroniterBadDateError: the date never comes ("0 9 30 2 *")
            return
        fire = fire.astimezone(KST)
        if fire > limit:
            return
        yield fire


def parse_rule(text: str) -> ScheduleRule:
    """A rule from its settings text.

    ``cron 30 8 * * *``, ``cron 0 9 1 * * business-days next`` (policy ``skip``, ``next`` or
    ``previous``; ``skip`` if left out), ``business-day 1 09:00``, ``business-day -1 09:00``
    (last business day of the month), ``every-business-day 08:30``. Times are ``HH:MM`` or
    ``HH:MM:SS`` in KST; keywords are case-insensitive.
    """
    words = text.split()
    kind, args = (words[0].lower(), words[1:]) if words else ("", [])
    lowered = [word.lower() for word in args]
    if kind == "cron" and "business-days" not in lowered:
        return CronRule(expr=" ".join(args))
    if kind == "cron":
        cut = lowered.index("business-days")
        options = lowered[cut + 1 :] or ["skip"]
        if len(options) == 1 and (policy := _POLICY_NAMES.get(options[0])) is not None:
            expr = " ".join(args[:cut])
            return CronRule(expr=expr, business_days_only=True, on_holiday=policy)
    if kind == "business-day" and len(args) == 2 and re.fullmatch(r"[+-]?\d{1,2}", args[0]):
        n = int(args[0])
        if n != 0 and abs(n) <= _MAX_BUSINESS_DAYS:
            return MonthlyBusinessDayRule(n=n, at=_parse_time(args[1], text))
    if kind == "every-business-day" and len(args) == 1:
        return DailyBusinessDayRule(at=_parse_time(args[0], text))
    raise ConfigurationError("schedule.invalid_rule", {"text": text})


def _parse_time(word: str, text: str) -> time:
    match = _TIME.fullmatch(word)
    if match is not None:
        hour, minute, second = (int(part or 0) for part in match.groups())
        if hour <= 23 and minute <= 59 and second <= 59:
            return time(hour, minute, second)
    raise ConfigurationError("schedule.invalid_rule", {"text": text})


def format_rule(rule: ScheduleRule) -> str:
    """The settings text of ``rule``; :func:`parse_rule` reads it back to an equal rule."""
    if isinstance(rule, CronRule):
        tail = f" business-days {rule.on_holiday}" if rule.business_days_only else ""
        return f"cron {rule.expr}{tail}"
    if isinstance(rule, DailyBusinessDayRule):
        return f"every-business-day {_clock(rule.at)}"
    return f"business-day {rule.n} {_clock(rule.at)}"


def describe_ko(rule: ScheduleRule) -> str:
    """The Korean description a civil servant reads, e.g. "매월 마지막 영업일 09:00"."""
    if isinstance(rule, CronRule):
        held = f" (영업일만, {_POLICY_KO[rule.on_holiday]})" if rule.business_days_only else ""
        return f"반복 일정 '{rule.expr}'{held}"
    if isinstance(rule, DailyBusinessDayRule):
        return f"매 영업일 {_clock(rule.at)}"
    if rule.n == -1:
        which = "마지막"
    elif rule.n < 0:
        which = f"끝에서 {_ordinal_ko(-rule.n)}"
    else:
        which = _ordinal_ko(rule.n)
    return f"매월 {which} 영업일 {_clock(rule.at)}"


def _ordinal_ko(n: int) -> str:
    """첫째, 둘째, ..., 열째, 열한째, ..., 스무째, 스물한째, ... (1 <= n < 30)."""
    tens, unit = divmod(n, 10)
    if unit == 0:
        return ("", "열", "스무")[tens] + "째"
    units = (("첫", "둘") if tens == 0 else ("한", "두")) + _UNITS_KO
    return ("", "열", "스물")[tens] + units[unit - 1] + "째"


def _clock(at: time) -> str:
    return at.strftime("%H:%M:%S" if at.second else "%H:%M")


__all__ = [
    "CronRule",
    "DailyBusinessDayRule",
    "HolidayPolicy",
    "MonthlyBusinessDayRule",
    "Schedule",
    "ScheduleRule",
    "describe_ko",
    "format_rule",
    "next_fire_after",
    "parse_rule",
]
