"""상시학습: each person's yearly hours against their grade's target, and reminders.

The yearly target by grade is set by the city's 상시학습 운영계획 (V2; the hours U, a dated
table in :mod:`.tables`). The shortfall is the target less the hours credited, never below 0;
a kind of learning counts up to its yearly limit when the city sets one (U). Each person short
of hours gets a reminder of their own figures only, never a list of others: Gwangju moved from a
twice-yearly notice to all staff to individual notices, to avoid exposing personal data (V2,
``shared/domain/training-records.md``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from civicrpa.core.messages import render
from civicrpa.processes.training_records.inputs import CourseKind
from civicrpa.processes.training_records.policy import Policy
from civicrpa.processes.training_records.rules import Credit, StaffEntry, format_hours


@dataclass(frozen=True, kw_only=True)
class YearSummary:
    """A person's year (the yearly summary of the domain file)."""

    staff_no: str
    year: int
    total_hours: Decimal
    #: None for a grade without a target (no reminder).
    target_hours: Decimal | None
    shortfall_hours: Decimal


def yearly_summary(
    credits: Iterable[Credit], *, staff: Iterable[StaffEntry], year: int, policy: Policy
) -> list[YearSummary]:
    """Every person's hours of ``year`` against their grade's target, people with no hours
    at all included; a kind's hours count up to its yearly limit (U). Sorted by staff number."""
    by_kind: dict[tuple[str, CourseKind], Decimal] = defaultdict(Decimal)
    for credit in credits:
        if credit.year == year:
            by_kind[(credit.staff_no, credit.kind)] += credit.hours
    summaries = []
    for person in sorted(staff, key=lambda entry: entry.staff_no):
        total = Decimal(0)
        for kind in CourseKind:
            hours = by_kind.get((person.staff_no, kind), Decimal(0))
            limit = policy.limit_of(kind.value)
            total += hours if limit is None else min(hours, limit)
        target = policy.tables.target(person.grade, year)
        short = Decimal(0) if target is None else max(target - total, Decimal(0))
        summaries.append(
            YearSummary(
                staff_no=person.staff_no,
                year=year,
                total_hours=total,
                target_hours=target,
                shortfall_hours=short,
            )
        )
    return summaries


@dataclass(frozen=True, kw_only=True)
class Reminder:
    """A reminder to one person short of hours: their own figures and nothing else."""

    staff_no: str
    name: str = field(repr=False)
    year: int
    total_hours: Decimal
    target_hours: Decimal
    shortfall_hours: Decimal

    @property
    def message_ko(self) -> str:
        """The text sent to that person only (``training.reminder``)."""
        return render(
            "training.reminder",
            {
                "name": self.name,
                "year": self.year,
                "total": format_hours(self.total_hours),
                "target": format_hours(self.target_hours),
                "short": format_hours(self.shortfall_hours),
            },
        )


def reminders(summaries: Iterable[YearSummary], staff: Mapping[str, StaffEntry]) -> list[Reminder]:
    """One reminder per person short of hours (no reminder at 0 h short), each addressed to
    that person with their own figures: no all-staff list is made."""
    return [
        Reminder(
            staff_no=summary.staff_no,
            name=staff[summary.staff_no].name,
            year=summary.year,
            total_hours=summary.total_hours,
            target_hours=summary.target_hours,
            shortfall_hours=summary.shortfall_hours,
        )
        for summary in summaries
        if summary.target_hours is not None and summary.shortfall_hours > 0
    ]


__all__ = ["Reminder", "YearSummary", "reminders", "yearly_summary"]
