"""The synthetic city's calendar: the one day all six sandbox systems stand on.

The systems' data is generated around one day, :data:`CITY_DAY`: the registry's births and
moves, the intake's applications, HR's attendance, finance's past payments, the library's loans,
the CMS's notices. Their screens judge by the same day: what is overdue, which notice is public,
the latest birth date a form accepts, the date on an exported file's name. Had some systems
followed the real calendar, a loan lent "today" by the seed would turn overdue as the months
went by while an application of the same city stayed fresh, and a robot comparing two systems
would see a city at odds with itself.

Moments stamped on new records (a payment registered, a memo written, a notice posted) fall on
the city's day at the real Korean time of day, so a clerk's screen shows office-like times; the
seeds keep their own stamps before the city's day, so what happens now sorts after them. The
robots must judge by the same day: the demo and the tests set ``process_date`` to
:data:`CITY_DAY` (as the registry seed's ``TODAY``); ``civicrpa run`` against the sandbox needs
``CIVICRPA_PROCESS_DATE=2025-11-01``, as the README says.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

from civicrpa.core.clock import KST

#: The city's day.
CITY_DAY = date(2025, 11, 1)

_lock = threading.Lock()
_last: datetime | None = None


def city_today() -> date:
    """The day every system of the city judges by."""
    return CITY_DAY


def city_now() -> datetime:
    """Now on the city's day: :data:`CITY_DAY` at the real KST time of day, as aware UTC.

    Never earlier than the moment given before in this process: past midnight (KST) the real
    time of day starts again from 00:00, and a record made then must still sort after the one
    made a minute earlier (histories are listed by time).
    """
    global _last
    moment = datetime.combine(CITY_DAY, datetime.now(KST).time(), tzinfo=KST)
    with _lock:
        if _last is not None and moment <= _last:
            moment = _last + timedelta(microseconds=1)
        _last = moment
    return moment.astimezone(UTC)


def city_stamp() -> datetime:
    """:func:`city_now` as the systems store it: naive UTC (SQLite keeps no zone)."""
    return city_now().replace(tzinfo=None)


def kst_stamp(day: date, wall: time) -> datetime:
    """``day`` at the Korean wall-clock time ``wall``, as the systems store it (naive UTC).

    Seeds use it to give past records the office hours a clerk would have made them in.
    """
    return datetime.combine(day, wall, tzinfo=KST).astimezone(UTC).replace(tzinfo=None)


__all__ = ["CITY_DAY", "city_now", "city_stamp", "city_today", "kst_stamp"]
