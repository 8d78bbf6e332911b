"""The synthetic city's clock: its one day (:data:`~civicrpa.sandbox.common.city.CITY_DAY`)
and the moments stamped on it.

Every system's screens judge by the city's day (why one day for all is told in
:mod:`civicrpa.sandbox.common.city`). Moments stamped on new records (a payment registered, a
memo written, a notice posted) fall on the city's day at the real Korean time of day, so a
clerk's screen shows office-like times; the seeds keep their own stamps before the city's day,
so what happens now sorts after them.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

from civicrpa.core.clock import KST
from civicrpa.sandbox.common.city import CITY_DAY

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
