"""The rules of Gwangyang's 출산장려금 and 산후조리비용: pure functions, figures from the tables.

Regulation: 「광양시 출산장려 및 양육 지원에 관한 조례」 (V2; article numbers U), summarised in
``shared/domain/childbirth-incentive.md`` (R1-R3). Amounts live in :mod:`.tables`; the values no
public text gives (residence period, stopping instalments on a move) in :class:`.policy.Policy`.
Business refusals raise :class:`NotEligible`, malformed input :class:`InputRejected`, both with
a code of :mod:`civicrpa.core.messages`.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from civicrpa.core.errors import InputRejected, NotEligible
from civicrpa.processes.childbirth_incentive.policy import Policy
from civicrpa.processes.childbirth_incentive.tables import PostnatalGroup


@dataclass(frozen=True, kw_only=True)
class Registration:
    """A person's resident registration (주민등록) in the city, as the registry shows it."""

    #: 전입일 of the current stay in the city (the birth date for a child registered at birth);
    #: None when the person is not registered in the city.
    moved_in_on: date | None
    #: 전출일, the day the person left the city; None while still registered.
    moved_out_on: date | None = None
    #: Internal key of the household (세대), never a resident number.
    household_ref: str | None = None

    def registered_on(self, day: date) -> bool:
        """Whether the person was registered in the city on ``day`` (not on the moving-out day)."""
        if self.moved_in_on is None or self.moved_in_on > day:
            return False
        return self.moved_out_on is None or self.moved_out_on > day


@dataclass(frozen=True, kw_only=True)
class Instalment:
    """One yearly payment (분할 지급) of the 출산장려금."""

    number: int  #: 1..n
    due_on: date
    amount: int  #: won


@dataclass(frozen=True, kw_only=True)
class Plan:
    """The 출산장려금 of one child: the table row used and its yearly instalments."""

    birth_order: int
    birth_date: date
    #: ``valid_from`` of the table row applied, and the regulation it cites.
    valid_from: date
    regulation: str
    instalments: tuple[Instalment, ...]

    @property
    def total(self) -> int:
        """Sum of the instalments, in won."""
        return sum(instalment.amount for instalment in self.instalments)


def anniversary(day: date, years: int) -> date:
    """``day`` moved ``years`` years on; 29 February becomes the 28th (U, as 민법 제160조③)."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def incentive_plan(birth_order: int, birth_date: date, policy: Policy) -> Plan:
    """The 출산장려금 of a child of ``birth_order`` born on ``birth_date`` (조례, V2 amounts).

    Instalment 1 is due at the decision (dated on the birth date); instalment k on the birth
    date's anniversary k-1 years later (yearly payment V2; exact due day U).
    """
    _check_count(birth_order, "birth_order", "childbirth.bad_birth_order", least=1)
    row = policy.tables.incentive_row(birth_date)
    instalments = tuple(
        Instalment(number=k, due_on=anniversary(birth_date, k - 1), amount=amount)
        for k, amount in enumerate(row.instalments(birth_order), start=1)
    )
    return Plan(
        birth_order=birth_order,
        birth_date=birth_date,
        valid_from=row.valid_from,
        regulation=row.regulation,
        instalments=instalments,
    )


def birth_order(
    child_birth_date: date, siblings_birth_dates: Sequence[date], *, same_day_rank: int = 1
) -> int:
    """출생 순위 of a child among the children of its household (siblings: the others).

    Siblings born before the child count; younger ones do not. Children born the same day (twins,
    다태아) take their order by the registry's listing order: ``same_day_rank`` is the child's
    place among them, 1 for the first listed (U: the ordinance text was not read).
    """
    same_day = sum(1 for day in siblings_birth_dates if day == child_birth_date)
    if isinstance(same_day_rank, bool) or not 1 <= same_day_rank <= same_day + 1:
        raise InputRejected(
            "childbirth.bad_same_day_rank",
            {"rank": same_day_rank, "max": same_day + 1},
            field="same_day_rank",
        )
    older = sum(1 for day in siblings_birth_dates if day < child_birth_date)
    return older + same_day_rank


def birth_orders(children_birth_dates: Sequence[date]) -> tuple[int, ...]:
    """출생 순위 of every child of a household, given in the registry's listing order."""
    orders = []
    for index, day in enumerate(children_birth_dates):
        others = [*children_birth_dates[:index], *children_birth_dates[index + 1 :]]
        rank = 1 + sum(1 for earlier in children_birth_dates[:index] if earlier == day)
        orders.append(birth_order(day, others, same_day_rank=rank))
    return tuple(orders)


def full_months(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (0 if ``end`` is earlier).

    A month is complete on the same day of a later month, or on that month's last day when it
    has no such day (31 January -> 28 February); the counting convention is U.
    """
    months = (end.year - start.year) * 12 + end.month - start.month
    last_day = calendar.monthrange(end.year, end.month)[1]
    if end.day < start.day and end.day != last_day:
        months -= 1
    return max(months, 0)


def check_residency(
    *,
    birth_date: date,
    applicant: Registration,
    child: Registration,
    checked_on: date,
    policy: Policy,
) -> int:
    """Check the 출산장려금 residence rules on ``checked_on``; return the months of residence.

    The applicant must be registered in the city on the birth date and for at least
    ``policy.min_residence_months`` before it (U, default 6), and still be on ``checked_on``;
    the child must be registered in the city in the applicant's household (조례, article U).
    Raises :class:`NotEligible` with the reason.
    """
    _check_not_before_birth(birth_date, checked_on)
    if not applicant.registered_on(birth_date) or applicant.moved_in_on is None:
        raise NotEligible(
            "childbirth.not_resident_on_birth", {"birth_date": birth_date.isoformat()}
        )
    if not applicant.registered_on(checked_on):
        raise NotEligible(
            "childbirth.applicant_moved_out", {"moved_out_on": _iso(applicant.moved_out_on)}
        )
    actual = full_months(applicant.moved_in_on, birth_date)
    if actual < policy.min_residence_months:
        params = {"months": policy.min_residence_months, "actual": actual}
        raise NotEligible("childbirth.residency_too_short", params)
    if not child.registered_on(checked_on):
        raise NotEligible("childbirth.child_not_registered")
    if child.household_ref is None or child.household_ref != applicant.household_ref:
        raise NotEligible("childbirth.not_in_household")
    return actual


def instalment_still_due(
    plan: Plan,
    number: int,
    *,
    applicant: Registration,
    child: Registration | None = None,
    policy: Policy,
) -> bool:
    """Whether instalment ``number`` of ``plan`` is still paid, re-checking residence.

    The family must have stayed registered in the city from the birth to the instalment's due
    date; once the applicant (or the child) has left, the remaining instalments stop when
    ``policy.stop_instalments_on_move_out`` (U, default True). Moving back does not restart them.
    """
    count = len(plan.instalments)
    if isinstance(number, bool) or not 1 <= number <= count:
        params = {"number": number, "count": count}
        raise InputRejected("childbirth.bad_instalment_no", params, field="instalment_no")
    if not policy.stop_instalments_on_move_out:
        return True
    due_on = plan.instalments[number - 1].due_on
    people = [applicant] if child is None else [applicant, child]
    return all(_stayed(person, plan.birth_date, due_on) for person in people)


def _stayed(person: Registration, since: date, until: date) -> bool:
    # The current stay must have begun by ``since``: a later move-in means the person left.
    return person.registered_on(since) and person.registered_on(until)


def check_postnatal_eligibility(
    *, birth_date: date, mother: Registration, spouse: Registration | None
) -> None:
    """산후조리비용: the mother is registered in the city with her spouse on the birth date (V2).

    Since 2022 no prior residence period is needed (V2). A mother without a spouse qualifies on
    her own registration, and the spouse need not share her household (both U).
    """
    if not mother.registered_on(birth_date):
        raise NotEligible("childbirth.mother_not_resident", {"birth_date": birth_date.isoformat()})
    if spouse is not None and not spouse.registered_on(birth_date):
        raise NotEligible("childbirth.spouse_not_resident", {"birth_date": birth_date.isoformat()})


def postnatal_deadline(birth_date: date, policy: Policy) -> date:
    """The last day to apply for 산후조리비용: the birth date plus 90 days (V2; table row).

    No extension when it falls on a holiday (U).
    """
    return birth_date + timedelta(days=policy.tables.postnatal_row(birth_date).deadline_days)


def check_postnatal_deadline(birth_date: date, applied_on: date, policy: Policy) -> None:
    """Raise :class:`NotEligible` when the application came after the deadline (day 90 is in)."""
    _check_not_before_birth(birth_date, applied_on)
    last_day = postnatal_deadline(birth_date, policy)
    if applied_on > last_day:
        params = {
            "deadline_days": (last_day - birth_date).days,
            "elapsed": (applied_on - birth_date).days,
            "last_day": last_day.isoformat(),
        }
        raise NotEligible("childbirth.postnatal_deadline_passed", params)


def postnatal_amount(
    group: PostnatalGroup,
    *,
    birth_date: date,
    centre_in_city: bool,
    days_used: int,
    multiple_birth: bool,
    policy: Policy,
) -> int:
    """산후조리비용 in won (조례, amounts V2).

    At a postnatal-care centre in the city: the group's daily amount times the days used, up to
    its day cap; otherwise the flat amount, whatever the group. A multiple birth adds 20 % (V2)
    of either amount (adding it to the flat amount is U); fractions of a won are dropped (U).
    """
    _check_count(days_used, "days_used", "childbirth.bad_days_used", least=0)
    if group not in set(PostnatalGroup):
        known = ", ".join(PostnatalGroup)
        params = {"value": group, "known": known}
        raise InputRejected("childbirth.bad_postnatal_group", params, field="group")
    row = policy.tables.postnatal_row(birth_date)
    if centre_in_city:
        rate = row.rate(group)
        amount = rate.daily_amount * min(days_used, rate.max_days)
    else:
        amount = row.without_centre
    if multiple_birth:
        amount = amount * (100 + row.multiple_birth_percent) // 100
    return amount


def _check_count(value: object, field: str, code: str, *, least: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise InputRejected(code, {"value": value}, field=field)


def _iso(day: date | None) -> str:
    return "-" if day is None else day.isoformat()


def _check_not_before_birth(birth_date: date, day: date) -> None:
    if day < birth_date:
        params = {"day": day.isoformat(), "birth_date": birth_date.isoformat()}
        raise InputRejected("childbirth.day_before_birth", params, field="birth_date")


__all__ = [
    "Instalment",
    "Plan",
    "Registration",
    "anniversary",
    "birth_order",
    "birth_orders",
    "check_postnatal_deadline",
    "check_postnatal_eligibility",
    "check_residency",
    "full_months",
    "incentive_plan",
    "instalment_still_due",
    "postnatal_amount",
    "postnatal_deadline",
]
