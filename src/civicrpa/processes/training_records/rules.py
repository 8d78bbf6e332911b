"""The rules of 교육훈련 실적 등록 and 상시학습: match, register once, credit, find who is short.

Legal basis: 「지방공무원 교육훈련법」 (now 인재개발법) and its 시행령, with the city's yearly
상시학습 운영계획 setting the hours (V2; ``shared/domain/training-records.md``). The registration
rules are suggested and U (:class:`~.policy.Policy`):

- a completion row is matched to HR's staff list by staff number, and its name must agree
  (:func:`match_staff`);
- only 수료 is registered, 미수료 is skipped; a completion is registered once, by the key
  (staff, course, start date): one HR already holds, or one seen earlier in the batch, is a
  duplicate (:func:`plan_registrations`);
- the hours are the course's credited hours, counted in the completion date's year
  (:func:`credited_hours`, :func:`credit_year`);
- the yearly shortfall and the reminders are in :mod:`.shortfall`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from civicrpa.core.errors import InputRejected
from civicrpa.core.messages import render
from civicrpa.processes.training_records.inputs import Completion, CourseKind
from civicrpa.processes.training_records.policy import CreditDay, Policy


@dataclass(frozen=True, kw_only=True)
class StaffEntry:
    """A person of HR's staff list, as the rules need them."""

    staff_no: str
    name: str = field(repr=False)
    grade: str


@dataclass(frozen=True, kw_only=True, order=True)
class RegistrationKey:
    """What makes a completion one record in HR: staff, course, start date (U)."""

    staff_no: str
    course_id: str
    start_date: date


class Status(StrEnum):
    """What became of a completion row (the registration result of the domain file)."""

    #: To be registered in HR (or registered).
    REGISTERED = "registered"
    #: Already in HR, or earlier in the same list: not registered again.
    DUPLICATE = "duplicate"
    #: Not a completion that counts (미수료): not registered.
    SKIPPED = "skipped"
    #: Could not be matched or credited: a person must look at it.
    ERROR = "error"


@dataclass(frozen=True, kw_only=True)
class Registration:
    """The decision on one completion row."""

    key: RegistrationKey
    status: Status
    #: A ``training.status.*`` or ``training.*`` code saying why, with its parameters.
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    #: The year and hours credited (registered rows only; else None and 0).
    year: int | None = None
    hours: Decimal = Decimal(0)
    kind: CourseKind = CourseKind.OTHER

    @property
    def message_ko(self) -> str:
        """The Korean sentence for the HR clerk."""
        return render(self.code, self.params)


def registration_key(completion: Completion) -> RegistrationKey:
    """The record's key in HR (R2, U): staff number, course id, start date."""
    return RegistrationKey(
        staff_no=completion.staff_no,
        course_id=completion.course_id,
        start_date=completion.start_date,
    )


def _plain(name: str) -> str:
    return "".join(name.split())


def match_staff(completion: Completion, staff: Mapping[str, StaffEntry]) -> StaffEntry:
    """The person of ``completion``: the staff number must be in HR's list and the name the
    same, spaces aside. Raises :class:`InputRejected` (``training.unknown_staff``,
    ``training.name_mismatch``), the names left out of the message."""
    entry = staff.get(completion.staff_no)
    params = {"staff_no": completion.staff_no, "course_id": completion.course_id}
    if entry is None:
        raise InputRejected("training.unknown_staff", params, field="staff_no")
    if _plain(entry.name) != _plain(completion.name):
        raise InputRejected("training.name_mismatch", params, field="name")
    return entry


def credited_hours(completion: Completion, policy: Policy) -> Decimal:
    """The course's official credited hours, not the attended time (R2, U). A group course
    without them gets ``hours_per_group_day`` a day when the city set one; otherwise
    :class:`InputRejected` (``training.no_hours``)."""
    if completion.credited_hours is not None:
        return completion.credited_hours
    if completion.kind is CourseKind.GROUP and policy.hours_per_group_day is not None:
        days = (completion.end_date - completion.start_date).days + 1
        return policy.hours_per_group_day * days
    params = {"course_id": completion.course_id}
    raise InputRejected("training.no_hours", params, field="credited_hours")


def credit_year(completion: Completion, policy: Policy) -> int:
    """The year the hours count in: the completion date's (U), e.g. 2024-12-31 -> 2024."""
    if policy.credit_day is CreditDay.START_DATE:
        return completion.start_date.year
    return completion.end_date.year


def register(
    completion: Completion,
    *,
    staff: Mapping[str, StaffEntry],
    registered: Collection[RegistrationKey],
    policy: Policy,
) -> Registration:
    """The decision on one row: skipped (미수료), duplicate (its key in ``registered``), error
    (not matched, no hours) or registered, with the year and hours."""
    key = registration_key(completion)
    params: dict[str, Any] = {"course_id": completion.course_id, "staff_no": completion.staff_no}
    if completion.result not in policy.counted_results:
        return Registration(
            key=key,
            status=Status.SKIPPED,
            code="training.status.not_completed",
            params=params | {"result": completion.result},
        )
    try:
        match_staff(completion, staff)
        hours = credited_hours(completion, policy)
    except InputRejected as exc:
        return Registration(key=key, status=Status.ERROR, code=exc.code, params=exc.params)
    if key in registered:
        return Registration(
            key=key, status=Status.DUPLICATE, code="training.status.duplicate", params=params
        )
    year = credit_year(completion, policy)
    return Registration(
        key=key,
        status=Status.REGISTERED,
        code="training.status.registered",
        params=params | {"year": year, "hours": format_hours(hours)},
        year=year,
        hours=hours,
        kind=completion.kind,
    )


def plan_registrations(
    completions: Iterable[Completion],
    *,
    staff: Mapping[str, StaffEntry],
    registered: Collection[RegistrationKey] = (),
    policy: Policy,
) -> list[Registration]:
    """The decision on every row of a list, in order: a key HR already holds, or one already
    registered earlier in the list, is a duplicate (registered once)."""
    seen = set(registered)
    decisions = []
    for completion in completions:
        decision = register(completion, staff=staff, registered=seen, policy=policy)
        if decision.status is Status.REGISTERED:
            seen.add(decision.key)
        decisions.append(decision)
    return decisions


@dataclass(frozen=True, kw_only=True)
class Credit:
    """Hours a person has on record for a year (HR's earlier records, or a registration)."""

    staff_no: str
    year: int
    hours: Decimal
    kind: CourseKind = CourseKind.OTHER


def credits_of(registrations: Iterable[Registration]) -> list[Credit]:
    """The credits of the registered decisions."""
    return [
        Credit(staff_no=r.key.staff_no, year=r.year, hours=r.hours, kind=r.kind)
        for r in registrations
        if r.status is Status.REGISTERED and r.year is not None
    ]


def format_hours(hours: Decimal) -> str:
    """``40`` for 40 hours, ``12.5`` for twelve and a half."""
    return format(hours.normalize(), "f")


__all__ = [
    "Credit",
    "Registration",
    "RegistrationKey",
    "StaffEntry",
    "Status",
    "credit_year",
    "credited_hours",
    "credits_of",
    "format_hours",
    "match_staff",
    "plan_registrations",
    "register",
    "registration_key",
]
