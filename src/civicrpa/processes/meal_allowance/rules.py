"""The rules of 급량비 (특근매식비): who may eat at the budget's expense, the cap, the split.

Regulation: 「지방자치단체 회계관리에 관한 훈령」 Art. 13 and 별표 2 (세출예산 집행기준), 2-1
사무관리비, 5. 급량비 (V2; ``shared/domain/meal-allowance.md``). It is an expense paid to the
restaurant per receipt, not an allowance on the payslip:

- a diner is eligible when working overtime under an order that day: after hours on a weekday
  (dinner), on a Saturday or holiday (lunch and dinner); V2. How much overtime earns a meal and
  how many meals a day are U (:class:`~.policy.Policy`);
- not eligible: shift workers, staff paid 야간·휴일근무수당, and staff on a trip whose 식비 the
  travel rules pay (that would be a double payment); V2;
- the budget pays at most the cap (:mod:`.tables`) per eligible diner; the rest of the bill is
  the diners' own (V2).

The join with the overtime records and the trips is done by the caller, who gives each diner's
day as a :class:`DinerDay`; an ineligible diner is never dropped silently: each becomes a
:class:`~civicrpa.core.findings.Finding` the department sees.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from civicrpa.core.findings import Finding
from civicrpa.processes.meal_allowance.inputs import Meal, Receipt
from civicrpa.processes.meal_allowance.policy import Policy


class Exclusion(StrEnum):
    """Why a person gets meals another way (V2, partly quoted)."""

    #: A shift worker (교대근무자), fed by the shift arrangements.
    SHIFT_WORKER = "shift_worker"
    #: Paid 야간·휴일근무수당 (현업공무원) for the day.
    NIGHT_HOLIDAY_ALLOWANCE = "night_holiday_allowance"


@dataclass(frozen=True, kw_only=True)
class DinerDay:
    """What the overtime records and the trips say of one diner on the receipt's day."""

    staff_no: str
    #: True on a business day; False on a Saturday or holiday (the Korean calendar).
    weekday: bool
    #: The day's overtime under an approved order (the order's overlap with the clock record,
    #: outside normal hours on a weekday), as minutes from midnight; None: no overtime.
    overtime: tuple[int, int] | None = None
    #: On a trip whose 식비 is paid by the travel rules that day (관외 출장).
    trip_meals_paid: bool = False
    exclusion: Exclusion | None = None

    @property
    def overtime_minutes(self) -> int:
        """Minutes of overtime, before the weekday hour's deduction."""
        return 0 if self.overtime is None else self.overtime[1] - self.overtime[0]


@dataclass(frozen=True, kw_only=True)
class IneligibleDiner:
    """A diner the budget does not pay for, and why (a ``meal.reason.*`` code)."""

    staff_no: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReceiptAssessment:
    """What the budget pays of one receipt (the output row of ``meal-allowance.md``)."""

    receipt_no: str
    department: str
    day: date
    eligible_diners: tuple[str, ...]
    ineligible_diners: tuple[IneligibleDiner, ...]
    #: The cap per eligible diner on the receipt's day, in won.
    cap_per_meal: int
    #: Paid to the restaurant from the budget, and the diners' own part; they add to the bill.
    payable_amount: int
    excess_amount: int
    #: One per ineligible diner (``meal.reason.*``), for the department to confirm.
    findings: tuple[Finding, ...]

    @property
    def amount(self) -> int:
        """The bill: the payable amount plus the personal excess."""
        return self.payable_amount + self.excess_amount


def minutes_of(moment: time) -> int:
    """Minutes from midnight of a clock time (18:30 -> 1110)."""
    return moment.hour * 60 + moment.minute


def per_meal_cap(day: date, policy: Policy) -> int:
    """The cap per person and meal on ``day``: 8,000 won, 9,000 from 2024-06-01 (훈령 별표 2,
    V2)."""
    return policy.tables.cap_on(day).per_meal


def meals_allowed(diner: DinerDay, policy: Policy) -> int:
    """Meals a day the diner may have: one on a weekday, two on a Saturday or holiday (U)."""
    return policy.weekday_meals_per_day if diner.weekday else policy.holiday_meals_per_day


def diner_reason(
    meal: Meal, diner: DinerDay | None, *, meals_before: int, policy: Policy
) -> str | None:
    """Why ``diner`` may not eat ``meal`` at the budget's expense (a ``meal.reason.*`` code),
    or None when they may. ``meals_before`` counts their meals already paid that day.

    Checked in this order: a diner with no record of the day, an exclusion (V2), a trip that
    pays 식비 (a double payment, V2), no overtime, too little overtime (U: 60 min before the
    weekday deduction), a lunch on a weekday (inside normal hours), a Saturday or holiday meal
    whose time the work does not cover (U), the day's number of meals (U).
    """
    if diner is None:
        return "meal.reason.unknown_diner"
    if diner.exclusion is not None:
        return f"meal.reason.{diner.exclusion.value}"
    if diner.trip_meals_paid:
        return "meal.reason.trip_meals_paid"
    if diner.overtime is None:
        return "meal.reason.no_overtime"
    if diner.overtime_minutes < policy.min_overtime_minutes:
        return "meal.reason.overtime_too_short"
    if diner.weekday and meal is Meal.LUNCH:
        return "meal.reason.weekday_lunch"
    if not diner.weekday:
        at = minutes_of(policy.lunch_at if meal is Meal.LUNCH else policy.dinner_at)
        if not diner.overtime[0] <= at < diner.overtime[1]:
            return "meal.reason.meal_time_not_worked"
    if meals_before >= meals_allowed(diner, policy):
        return "meal.reason.meal_limit"
    return None


def assess_receipt(
    receipt: Receipt,
    diners: Mapping[str, DinerDay],
    policy: Policy,
    *,
    meals_before: Mapping[str, int] | None = None,
) -> ReceiptAssessment:
    """The payable part of ``receipt``: the bill up to the cap times the eligible diners (V2).

    ``diners`` holds each diner's day by staff number (a diner missing is ineligible);
    ``meals_before`` their meals already paid that day (:func:`assess_ledger` counts them).
    """
    earlier = meals_before or {}
    eligible: list[str] = []
    ineligible: list[IneligibleDiner] = []
    for staff_no in receipt.diners:
        reason = diner_reason(
            receipt.meal, diners.get(staff_no), meals_before=earlier.get(staff_no, 0), policy=policy
        )
        if reason is None:
            eligible.append(staff_no)
        else:
            ineligible.append(IneligibleDiner(staff_no=staff_no, reason=reason))
    cap = per_meal_cap(receipt.day, policy)
    payable = min(receipt.amount, cap * len(eligible))
    day = receipt.day.isoformat()
    findings = tuple(
        Finding(
            code=diner.reason,
            params={
                "staff_no": diner.staff_no,
                "date": day,
                "minutes": _minutes(diners.get(diner.staff_no)),
                "min": policy.min_overtime_minutes,
            },
        )
        for diner in ineligible
    )
    return ReceiptAssessment(
        receipt_no=receipt.receipt_no,
        department=receipt.department,
        day=receipt.day,
        eligible_diners=tuple(eligible),
        ineligible_diners=tuple(ineligible),
        cap_per_meal=cap,
        payable_amount=payable,
        excess_amount=receipt.amount - payable,
        findings=findings,
    )


def _minutes(diner: DinerDay | None) -> int:
    return 0 if diner is None else diner.overtime_minutes


def assess_ledger(
    receipts: Iterable[Receipt], diners: Mapping[tuple[date, str], DinerDay], policy: Policy
) -> list[ReceiptAssessment]:
    """Every receipt of a ledger, in the order meals are eaten (day, lunch before dinner,
    receipt number), counting each diner's paid meals of the day (``diners`` by day and
    staff number). Returned in that order."""
    order = {Meal.LUNCH: 0, Meal.DINNER: 1}
    paid: dict[tuple[date, str], int] = defaultdict(int)
    results = []
    for receipt in sorted(receipts, key=lambda r: (r.day, order[r.meal], r.receipt_no)):
        days = {
            staff_no: diners[(receipt.day, staff_no)]
            for staff_no in receipt.diners
            if (receipt.day, staff_no) in diners
        }
        before = {staff_no: paid[(receipt.day, staff_no)] for staff_no in receipt.diners}
        result = assess_receipt(receipt, days, policy, meals_before=before)
        for staff_no in result.eligible_diners:
            paid[(receipt.day, staff_no)] += 1
        results.append(result)
    return results


@dataclass(frozen=True, kw_only=True)
class DepartmentMonth:
    """A department's month of 급량비 (the monthly summary of ``meal-allowance.md``)."""

    department: str
    #: The month's first day.
    month: date
    receipts: int
    #: Meals the budget pays for: eligible diners over the month's receipts.
    meals: int
    payable_total: int
    excess_total: int


def department_summary(assessments: Iterable[ReceiptAssessment]) -> list[DepartmentMonth]:
    """Totals by department and month, sorted; each total is the sum of its receipts."""
    groups: dict[tuple[str, date], list[ReceiptAssessment]] = defaultdict(list)
    for assessment in assessments:
        groups[(assessment.department, assessment.day.replace(day=1))].append(assessment)
    return [
        DepartmentMonth(
            department=department,
            month=month,
            receipts=len(items),
            meals=sum(len(item.eligible_diners) for item in items),
            payable_total=sum(item.payable_amount for item in items),
            excess_total=sum(item.excess_amount for item in items),
        )
        for (department, month), items in sorted(groups.items())
    ]


__all__ = [
    "DepartmentMonth",
    "DinerDay",
    "Exclusion",
    "IneligibleDiner",
    "ReceiptAssessment",
    "assess_ledger",
    "assess_receipt",
    "department_summary",
    "diner_reason",
    "meals_allowed",
    "minutes_of",
    "per_meal_cap",
]
