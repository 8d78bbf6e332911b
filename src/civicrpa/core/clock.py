"""Time in one place: aware UTC for storage, Asia/Seoul for people and schedules."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

#: Korean Standard Time; the business clock of every city hall.
KST = ZoneInfo("Asia/Seoul")


def utcnow() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(UTC)


def to_kst(moment: datetime) -> datetime:
    """The same instant on the Korean wall clock."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: attach a time zone first")
    return moment.astimezone(KST)


def format_kst(moment: datetime | None) -> str:
    """``2025-10-10 08:30`` in KST, or ``-`` for no time."""
    if moment is None:
        return "-"
    return to_kst(moment).strftime("%Y-%m-%d %H:%M")
